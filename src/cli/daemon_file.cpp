#include "cli/daemon_file.h"

#include <fmt/format.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <fstream>
#include <sstream>
#include <system_error>

namespace nga::cli {

namespace fs = std::filesystem;
namespace json = boost::json;

fs::path DaemonFilePath(const fs::path& store_dir) { return store_dir / "daemon.json"; }

Status WriteDaemonFile(const fs::path& file, const DaemonInfo& info) {
  json::object body{{"pid", info.pid},   {"port", info.port},      {"url", info.url},
                    {"root", info.root}, {"version", NGA_VERSION}, {"startedAt", info.started_at}};
  const fs::path temp = file.parent_path() / fmt::format(".daemon.json.{}.tmp", info.pid);
  {
    std::ofstream out(temp, std::ios::trunc);
    out << json::serialize(body) << '\n';
    out.close();
    if (!out) {
      return MakeError(ErrorCode::kIo, fmt::format("cannot write {}", temp.string()));
    }
  }
  std::error_code ec;
  fs::rename(temp, file, ec);
  if (ec) {
    fs::remove(temp, ec);
    return MakeError(ErrorCode::kIo,
                     fmt::format("cannot write {}: {}", file.string(), ec.message()));
  }
  return Ok{};
}

void RemoveDaemonFileIfOwn(const fs::path& file, long pid) {
  std::ifstream in(file);
  if (!in) return;
  std::stringstream text;
  text << in.rdbuf();
  boost::system::error_code ec;
  json::value parsed = json::parse(text.str(), ec);
  const json::object* object = ec ? nullptr : parsed.if_object();
  const json::value* owner = object ? object->if_contains("pid") : nullptr;
  if (!owner || !owner->is_int64() || owner->as_int64() != pid) return;
  std::error_code ignored;
  fs::remove(file, ignored);
}

}  // namespace nga::cli
