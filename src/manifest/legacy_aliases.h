// The manifest as ng-annotate-mcp's overlay reads it.
//
// That overlay looks a component up by `constructor.name`, which Angular 21
// and 22 dev builds spell with a leading underscore (`_PromoCard` for class
// PromoCard), so against the plain manifest it shows `(unresolved:
// _PromoCard)`. Sockets of protocol revision 1 (its client) are therefore
// sent the manifest with an alias per class. Our own overlay (revision 2),
// GET /__annotate/manifest and `ng-annotate manifest` keep the plain map of
// SPEC §7: the alias is a compatibility shim for one client, not data.
#pragma once

#include <boost/json/object.hpp>

namespace nga::manifest {

// `manifest` plus, for every class `Name`, the key `_Name` mapped to the same
// entry, unless a class of that name exists (a real class wins). The aliases
// come after every real class, so a client walking the object in order meets
// the real name of an entry first.
boost::json::object WithUnderscoreAliases(const boost::json::object& manifest);

}  // namespace nga::manifest
