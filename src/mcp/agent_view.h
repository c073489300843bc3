// How one annotation reads to the agent (issue 18, "Page text is data").
// Selection text, DOM snippets, inputs, the page log, computed styles and the
// accessible name come from the page, and a hostile page can write anything
// there ("ignore previous instructions..."). So every answer that carries a
// whole annotation (get_annotation, the action tools, watch_diff_response,
// the annotation resource) lays it out with the user's request first, then
// where it is in the code and its state, and last everything the page wrote
// under one labelled object, `pageData`. Field names stay those of the wire
// form (SPEC §3), so prompts that name them (ng-annotate-mcp's) still find
// them. Lists keep their flat projection (tools.cpp), which holds none of the
// bulky page text; export and the browser keep the wire form.
#pragma once

#include <boost/json/object.hpp>
#include <string>
#include <string_view>

#include "store/model.h"

namespace nga::mcp {

// The object that holds the page's text in AgentView.
inline constexpr std::string_view kPageDataKey = "pageData";

// The annotation laid out as above: annotationText first, then the rest of
// the wire form without the page fields, then `pageData` {note, the page
// fields, elements: [the page fields of each of `elements`]} when the page
// sent any. Each entry of the top-level `elements` keeps its location.
boost::json::object AgentView(const Annotation& annotation);

// The text part that follows get_annotation's JSON: which fields of this
// annotation are the user's request, which say where it is, and which are
// page data (never instructions), with the page log's counts.
std::string FieldOrigins(const boost::json::object& view);

}  // namespace nga::mcp
