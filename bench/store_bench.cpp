// The store's hot paths on a real SQLite file (WAL, synchronous=NORMAL), each
// on a store pre-filled with state.range(0) annotations: create (alone and
// inside a 1 000-change batch, as the group commit runs it), acknowledge, the
// waiting-work query, the pending list and events since.
#include <benchmark/benchmark.h>
#include <stdlib.h>

#include <boost/json/object.hpp>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "store/store.h"

namespace {

namespace json = boost::json;
using nga::Store;

json::object Payload(std::int64_t i) {
  return json::object{{"annotationText", "make it blue " + std::to_string(i)},
                      {"componentName", "ButtonComponent"},
                      {"componentFilePath", "src/app/button.component.ts"},
                      {"selector", "app-button"},
                      {"inputs", json::object{{"label", "Save"}}},
                      {"domSnapshot", "<app-button><button>Save</button></app-button>"}};
}

// A store in a fresh temp dir holding `stored` annotations, `pending` of them
// pending and the rest resolved. Create() spreads annotations over sessions
// of 1 000 (a session holds at most 2 000), and stops the run on an error:
// a bench that timed failed creates would report nonsense.
struct Fixture {
  static constexpr std::int64_t kPerSession = 1000;
  std::filesystem::path dir;
  std::unique_ptr<Store> store;
  std::string session;
  std::int64_t in_session = 0;

  Fixture(std::int64_t stored, std::int64_t pending) {
    std::string pattern = (std::filesystem::temp_directory_path() / "nga-bench-XXXXXX").string();
    dir = mkdtemp(pattern.data());
    auto opened = Store::Open(dir / "store.db");
    store = std::move(opened).value();
    (void)store->BeginBatch();
    for (std::int64_t i = 0; i < stored; ++i) {
      nga::Annotation a = Create(i);
      if (i >= pending) Check(store->Resolve(a.id, std::nullopt), "resolve");
    }
    (void)store->CommitBatch();
  }
  ~Fixture() {
    store.reset();
    std::error_code ignored;
    std::filesystem::remove_all(dir, ignored);
  }

  nga::Annotation Create(std::int64_t i) {
    if (session.empty() || in_session == kPerSession) {
      session = Check(store->CreateSession("http://localhost:4200/"), "create a session").id;
      in_session = 0;
    }
    ++in_session;
    return Check(store->CreateAnnotation(session, Payload(i)), "create");
  }

  template <typename T>
  static T Check(nga::Result<T> result, const char* what) {
    if (!result) {
      std::fprintf(stderr, "store_bench: %s failed: %s\n", what, result.error().message.c_str());
      std::abort();
    }
    return std::move(*result);
  }
};

void BM_CreateAlone(benchmark::State& state) {
  Fixture f(state.range(0), 0);
  std::int64_t i = 0;
  for (auto _ : state) benchmark::DoNotOptimize(f.Create(i++));
  state.SetItemsProcessed(state.iterations());
}

void BM_CreateInBatch(benchmark::State& state) {
  Fixture f(state.range(0), 0);
  std::int64_t i = 0;
  for (auto _ : state) {
    (void)f.store->BeginBatch();
    for (int k = 0; k < 1000; ++k) {
      benchmark::DoNotOptimize(f.Create(i++));
    }
    (void)f.store->CommitBatch();
  }
  state.SetItemsProcessed(state.iterations() * 1000);
}

void BM_Acknowledge(benchmark::State& state) {
  Fixture f(state.range(0), 0);
  std::int64_t i = 0;
  for (auto _ : state) {
    state.PauseTiming();
    nga::Annotation a = f.Create(i++);
    state.ResumeTiming();
    benchmark::DoNotOptimize(f.store->Acknowledge(a.id, "on it"));
  }
}

void BM_WaitingWork(benchmark::State& state) {
  Fixture f(state.range(0), 1000);
  for (auto _ : state) benchmark::DoNotOptimize(f.store->ListWaitingWork(std::nullopt));
  state.SetLabel("1000 waiting");
}

void BM_ListPending(benchmark::State& state) {
  Fixture f(state.range(0), 1000);
  for (auto _ : state) {
    benchmark::DoNotOptimize(f.store->ListAnnotations({.status = nga::AnnotationStatus::kPending}));
  }
  state.SetLabel("1000 pending");
}

void BM_EventsSince(benchmark::State& state) {
  Fixture f(state.range(0), 0);
  auto latest = *f.store->LatestSequence();
  for (auto _ : state) benchmark::DoNotOptimize(f.store->EventsSince(latest - 10));
  state.SetLabel("the newest 10");
}

BENCHMARK(BM_CreateAlone)->Arg(0)->Arg(10000)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_CreateInBatch)->Arg(0)->Arg(10000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Acknowledge)->Arg(10000)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_WaitingWork)->Arg(10000)->Arg(100000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ListPending)->Arg(10000)->Arg(100000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_EventsSince)->Arg(10000)->Unit(benchmark::kMicrosecond);

}  // namespace

int main(int argc, char** argv) {
  nga::ConfigureStorageForProcess();  // as ng-annotate's main does
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
