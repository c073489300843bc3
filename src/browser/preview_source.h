// An annotation made on a preview build (issue 20) names the element by its
// short source id (`data-nga-id`) and the build it came from, not by a path:
// the page carries no paths. Before the annotation is stored, the id is
// looked up in the build's pushed manifest (store/build_manifest.h), so the
// agent gets file and line as it would from a dev server.
#pragma once

#include <boost/json/object.hpp>
#include <string>

#include "store/store.h"

namespace nga::browser {

// With "buildId" and "sourceId" in `payload`: sets "sourceLocation" to the
// manifest's "file:line:col" and "componentFilePath" to its file (an .html
// file, an Angular template: "templateFilePath", and "componentFilePath"
// only when the page sent none). Returns a
// line for the log when the id cannot be resolved (no manifest pushed for
// that build, or an id it does not hold), else an empty string; the
// annotation is stored either way, as the page described it.
std::string ResolvePreviewSource(Store& store, boost::json::object& payload);

}  // namespace nga::browser
