#include "store/libpq_loader.h"

#if !defined(_WIN32)
#include <dlfcn.h>
#endif

#include <cstdlib>
#include <string>

namespace nga::pg {

namespace {

Error Missing(const std::string& name, const std::string& why) {
  return MakeError(ErrorCode::kStorage,
                   "PostgreSQL support needs libpq: apt install libpq5 / brew install libpq / "
                   "dnf install libpq (could not load " +
                       name + ": " + why + ")");
}

#if defined(_WIN32)
// The Windows build carries no PostgreSQL store: loading libpq.dll and
// waiting on its socket could not be run on the machines this is built and
// tested on (Wine has no PostgreSQL), and we ship only what is tested. The
// team server runs on Linux or macOS; Windows keeps the SQLite store.
Result<LibPq> Load() {
  return MakeError(ErrorCode::kStorage,
                   "PostgreSQL stores are not in the Windows build of ng-annotate yet: run the "
                   "team server (serve --store postgres://...) on Linux or macOS, or use the "
                   "project's SQLite store here");
}
#else
Result<LibPq> Load() {
  const char* env = std::getenv("NG_ANNOTATE_LIBPQ");
  std::string name = env && *env ? env : kLibPqName;
  // RTLD_LOCAL: its symbols stay out of the global namespace; we look them
  // up by name below.
  void* handle = dlopen(name.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!handle) {
    const char* why = dlerror();
    return Missing(name, why ? why : "not found");
  }
  LibPq lib{};
  std::string missing;
  auto resolve = [&](auto& fn, const char* symbol) {
    fn = reinterpret_cast<std::remove_reference_t<decltype(fn)> >(dlsym(handle, symbol));
    if (!fn) missing += (missing.empty() ? "" : ", ") + std::string(symbol);
  };
  resolve(lib.connectdb, "PQconnectdb");
  resolve(lib.status, "PQstatus");
  resolve(lib.errorMessage, "PQerrorMessage");
  resolve(lib.finish, "PQfinish");
  resolve(lib.reset, "PQreset");
  resolve(lib.exec, "PQexec");
  resolve(lib.execParams, "PQexecParams");
  resolve(lib.resultStatus, "PQresultStatus");
  resolve(lib.resultErrorMessage, "PQresultErrorMessage");
  resolve(lib.resultErrorField, "PQresultErrorField");
  resolve(lib.clear, "PQclear");
  resolve(lib.ntuples, "PQntuples");
  resolve(lib.getvalue, "PQgetvalue");
  resolve(lib.getisnull, "PQgetisnull");
  resolve(lib.cmdTuples, "PQcmdTuples");
  resolve(lib.socket, "PQsocket");
  resolve(lib.consumeInput, "PQconsumeInput");
  resolve(lib.notifies, "PQnotifies");
  resolve(lib.freemem, "PQfreemem");
  resolve(lib.escapeIdentifier, "PQescapeIdentifier");
  resolve(lib.setNoticeProcessor, "PQsetNoticeProcessor");
  resolve(lib.enterPipelineMode, "PQenterPipelineMode");
  resolve(lib.exitPipelineMode, "PQexitPipelineMode");
  resolve(lib.pipelineSync, "PQpipelineSync");
  resolve(lib.sendQueryParams, "PQsendQueryParams");
  resolve(lib.getResult, "PQgetResult");
  resolve(lib.connectStart, "PQconnectStart");
  resolve(lib.connectPoll, "PQconnectPoll");
  if (!missing.empty()) {
    dlclose(handle);
    return Missing(name, "it lacks " + missing + "; it is older than libpq 14, or not libpq");
  }
  return lib;
}
#endif  // _WIN32

}  // namespace

Result<const LibPq*> LoadLibPq() {
  // Loaded once: dlopen is process-wide anyway, and the table never changes
  // after it is filled (a function-local static is initialised thread-safely).
  static const Result<LibPq> loaded = Load();
  if (!loaded) return loaded.error();
  return &*loaded;
}

}  // namespace nga::pg
