// The store's hot paths on a real SQLite file (WAL, synchronous=NORMAL), each
// on a store pre-filled with state.range(0) annotations: create (alone and
// inside a 1 000-change batch, as the group commit runs it), acknowledge, the
// waiting-work query, the pending list and events since.
#include <benchmark/benchmark.h>
#include <stdlib.h>

#include <boost/json/object.hpp>
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
// pending and the rest resolved.
struct Fixture {
  std::filesystem::path dir;
  std::unique_ptr<Store> store;
  std::string session;
  std::vector<std::string> ids;

  Fixture(std::int64_t stored, std::int64_t pending) {
    std::string pattern = (std::filesystem::temp_directory_path() / "nga-bench-XXXXXX").string();
    dir = mkdtemp(pattern.data());
    auto opened = Store::Open(dir / "store.db");
    store = std::move(opened).value();
    session = store->CreateSession("http://localhost:4200/")->id;
    (void)store->BeginBatch();
    for (std::int64_t i = 0; i < stored; ++i) {
      auto a = store->CreateAnnotation(session, Payload(i));
      if (i >= pending) (void)store->Resolve(a->id, std::nullopt);
      ids.push_back(a->id);
    }
    (void)store->CommitBatch();
  }
  ~Fixture() {
    store.reset();
    std::error_code ignored;
    std::filesystem::remove_all(dir, ignored);
  }
};

void BM_CreateAlone(benchmark::State& state) {
  Fixture f(state.range(0), 0);
  std::int64_t i = 0;
  for (auto _ : state) benchmark::DoNotOptimize(f.store->CreateAnnotation(f.session, Payload(i++)));
  state.SetItemsProcessed(state.iterations());
}

void BM_CreateInBatch(benchmark::State& state) {
  Fixture f(state.range(0), 0);
  std::int64_t i = 0;
  for (auto _ : state) {
    (void)f.store->BeginBatch();
    for (int k = 0; k < 1000; ++k) {
      benchmark::DoNotOptimize(f.store->CreateAnnotation(f.session, Payload(i++)));
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
    auto a = f.store->CreateAnnotation(f.session, Payload(i++));
    state.ResumeTiming();
    benchmark::DoNotOptimize(f.store->Acknowledge(a->id, "on it"));
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
