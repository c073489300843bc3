// Several elements, or an area (issue 18). Shift+click adds elements to one
// annotation, and a drag over the page annotates the area it covers with the
// components inside it. The first element's context stays in the
// annotation's top-level fields (componentName, componentFilePath, selector,
// sourceLocation, inputs, ...), so that ng-annotate-mcp's client and the
// agents' prompts written for it keep working; the others go in `elements`,
// each with its own context, and an area's rectangle in `region`.
//
// Every element is context the overlay read from the page, bounded like the
// top-level fields but tighter, so that 20 of them fit in one annotation
// (validate.h's kAnnotationBytes). A wrong shape, too many elements or too
// many bytes is refused with an error naming the field and the limit; a long
// domSnapshot is cut, as the top-level one is (SPEC §3).
#pragma once

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <cstddef>

#include "util/result.h"

namespace nga::limits {

// Elements in `elements`, besides the first (top-level) one.
inline constexpr std::size_t kExtraElements = 20;
// One element's domSnapshot (longer is cut and ends with kTruncatedMarker).
inline constexpr std::size_t kElementDomSnapshotChars = 1000;
// One element's inputs, as JSON.
inline constexpr std::size_t kElementInputsBytes = 8 * 1024;
// One element's free-form context (sourceLocation, boundingBox, anchor...).
inline constexpr std::size_t kElementContextBytes = 4 * 1024;
// Ancestors in one element's componentTreePath.
inline constexpr std::size_t kElementTreeEntries = 64;
// `elements` as stored JSON, all of them together.
inline constexpr std::size_t kElementsBytes = 96 * 1024;
// A region's coordinates and sides, in CSS pixels.
inline constexpr double kRegionMaxCoordinate = 1e6;

}  // namespace nga::limits

namespace nga {

// elements: [{componentName?, componentFilePath?, templateFilePath?,
// selector?, framework?, elementPath?, sourceLocation?, boundingBox?,
// anchor?, inputs?, domSnapshot?, componentTreePath?}], at most
// kExtraElements. Returns the stored form: known keys only, the three
// strings every annotation has ("" when unknown), inputs and
// componentTreePath always present.
Result<boost::json::array> ValidateElements(const boost::json::value& elements);

// region: {x, y, width, height}: the area the user dragged over, in CSS
// pixels of the viewport (like boundingBox). Finite numbers, sides > 0.
Result<boost::json::object> ValidateRegion(const boost::json::value& region);

}  // namespace nga
