// libpq, loaded at run time, only when a postgres:// store is used.
//
// Why not link it: the release binary reaches users through npm and links
// nothing but libc and libm dynamically (NGA_STATIC_DEPS). A hard dependency
// on libpq.so.5 would stop `ng-annotate` from starting at all on a machine
// without libpq, though most users never touch PostgreSQL. So this one file
// dlopen()s "libpq.so.5" (or $NG_ANNOTATE_LIBPQ, for tests and unusual
// installs) the first time a PostgreSQL store is opened and resolves the few
// functions the store needs. The types come from libpq-fe.h (a build-time
// header only, Debian's libpq-dev); no libpq symbol is linked.
//
// When the library is missing, LoadLibPq fails with one line that says how to
// install it; the CLI prints it and exits 1.
#pragma once

#include <libpq-fe.h>

#include "util/result.h"

namespace nga::pg {

// The libpq functions the store calls, resolved from the loaded library.
struct LibPq {
  decltype(&::PQconnectdb) connectdb;
  decltype(&::PQstatus) status;
  decltype(&::PQerrorMessage) errorMessage;
  decltype(&::PQfinish) finish;
  decltype(&::PQreset) reset;
  decltype(&::PQexec) exec;
  decltype(&::PQexecParams) execParams;
  decltype(&::PQresultStatus) resultStatus;
  decltype(&::PQresultErrorMessage) resultErrorMessage;
  decltype(&::PQresultErrorField) resultErrorField;
  decltype(&::PQclear) clear;
  decltype(&::PQntuples) ntuples;
  decltype(&::PQgetvalue) getvalue;
  decltype(&::PQgetisnull) getisnull;
  decltype(&::PQcmdTuples) cmdTuples;
  decltype(&::PQsocket) socket;
  decltype(&::PQconsumeInput) consumeInput;
  decltype(&::PQnotifies) notifies;
  decltype(&::PQfreemem) freemem;
  decltype(&::PQescapeIdentifier) escapeIdentifier;
  decltype(&::PQsetNoticeProcessor) setNoticeProcessor;
  // Pipeline mode (libpq 14+): several statements in one round trip.
  decltype(&::PQenterPipelineMode) enterPipelineMode;
  decltype(&::PQexitPipelineMode) exitPipelineMode;
  decltype(&::PQpipelineSync) pipelineSync;
  decltype(&::PQsendQueryParams) sendQueryParams;
  decltype(&::PQgetResult) getResult;
  // Connecting without blocking (the change feed's reconnect).
  decltype(&::PQconnectStart) connectStart;
  decltype(&::PQconnectPoll) connectPoll;
};

// The library name tried when $NG_ANNOTATE_LIBPQ is unset.
inline constexpr const char* kLibPqName = "libpq.so.5";

// Loads libpq once per process (later calls return the same table). The
// table lives as long as the process: the library is never unloaded.
Result<const LibPq*> LoadLibPq();

}  // namespace nga::pg
