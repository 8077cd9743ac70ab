// kgraph-soak: a bounded mixed load against a running kgraphd, for finding
// what grows over time. C client threads each loop over reads (SearchEntities,
// GetEntity, GetNeighbors 1-2 hops, FindPaths), ingests (IngestDocuments of
// Reuters articles, then of generated news text about invented companies and
// people, so the graph keeps growing) and deletes (DeleteDocument of a
// document the same client ingested earlier). Every 10 s a sampler records
// kgraphd's RSS, the store's document count and the memory gauges of
// /metrics. Driven by bench/soak.sh; see docs/RELIABILITY.md "Soak".
//
// Thread safety: client threads share only the entity-id pool (a mutex),
// the corpus reader (a mutex) and the atomic counters.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <deque>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include <CLI/CLI.hpp>
#include <grpcpp/grpcpp.h>
#include <nlohmann/json.hpp>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "kgraph/v1/graph.grpc.pb.h"
#include "kgraph/v1/ingest.grpc.pb.h"

namespace kgraph::soak {
namespace {

using Clock = std::chrono::steady_clock;

constexpr int kCodes = 17;
const char* CodeName(int c) {
  static const char* kNames[] = {"OK", "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT",
                                 "DEADLINE_EXCEEDED", "NOT_FOUND", "ALREADY_EXISTS",
                                 "PERMISSION_DENIED", "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION",
                                 "ABORTED", "OUT_OF_RANGE", "UNIMPLEMENTED", "INTERNAL",
                                 "UNAVAILABLE", "DATA_LOSS", "UNAUTHENTICATED"};
  return c >= 0 && c < kCodes ? kNames[c] : "?";
}

enum Kind { kSearch, kGetEntity, kNeighbors1, kNeighbors2, kPaths, kIngest, kDelete, kKinds };
const char* kKindNames[kKinds] = {"SearchEntities", "GetEntity",      "GetNeighbors 1-hop",
                                  "GetNeighbors 2-hop", "FindPaths", "IngestDocuments",
                                  "DeleteDocument"};
// Of every 100 operations of a client.
constexpr int kMix[kKinds] = {18, 18, 20, 10, 10, 17, 7};

// Whether `code` from a call of `kind` is the service working as specified
// rather than an error: reads of an entity that a delete just removed are
// NOT_FOUND, and a path search may stop at its budget.
bool Expected(Kind kind, int code) {
  if (code == 0) return true;
  const bool read = kind != kIngest && kind != kDelete;
  return read && (code == static_cast<int>(grpc::StatusCode::NOT_FOUND) ||
                  code == static_cast<int>(grpc::StatusCode::RESOURCE_EXHAUSTED));
}

struct Options {
  std::string target;
  std::string metrics;  // host:port of kgraphd's /metrics
  int server_pid = 0;
  double minutes = 10;
  int clients = 48;
  std::string corpus;
  std::string csv;
  int sample_seconds = 10;
  int64_t max_ops_per_client = 2'000'000;
  int docs_per_ingest = 8;
  uint64_t seed = 1;
};

// ---- what the clients share --------------------------------------------------

struct Counters {
  explicit Counters(int minutes) : by_minute(static_cast<size_t>(minutes) * kCodes) {}
  std::array<std::array<std::atomic<int64_t>, kCodes>, kKinds> by_kind{};
  // [minute * kCodes + code], unexpected codes only.
  std::vector<std::atomic<int64_t>> by_minute;
  std::atomic<int64_t> docs_sent{0};
  std::atomic<int64_t> docs_deleted{0};
};

// Entity ids seen in replies, the pool reads draw their start nodes from.
class IdPool {
 public:
  void Add(uint64_t id) {
    std::lock_guard<std::mutex> lock(mu_);
    if (ids_.size() < kSize) {
      ids_.push_back(id);
    } else {
      ids_[next_++ % kSize] = id;
    }
  }
  bool Pick(std::mt19937_64& rng, uint64_t* id) {
    std::lock_guard<std::mutex> lock(mu_);
    if (ids_.empty()) return false;
    *id = ids_[rng() % ids_.size()];
    return true;
  }

 private:
  static constexpr size_t kSize = 8192;
  std::mutex mu_;
  std::vector<uint64_t> ids_;
  size_t next_ = 0;
};

// Streams the Reuters JSONL once, shared by every ingesting client.
class Corpus {
 public:
  explicit Corpus(const std::string& path) {
    if (!path.empty()) in_.open(path);
  }
  bool Next(v1::Document* doc) {
    std::lock_guard<std::mutex> lock(mu_);
    std::string line;
    while (in_.is_open() && std::getline(in_, line)) {
      nlohmann::json j = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
      if (!j.is_object() || !j.contains("id") || !j["id"].is_string() || !j.contains("text") ||
          !j["text"].is_string()) {
        continue;
      }
      doc->set_doc_id(j["id"].get<std::string>());
      if (j.contains("title") && j["title"].is_string()) doc->set_title(j["title"].get<std::string>());
      if (j.contains("date") && j["date"].is_string()) doc->set_date(IsoDate(j["date"].get<std::string>()));
      doc->set_text(j["text"].get<std::string>());
      return true;
    }
    return false;
  }

 private:
  // "26-FEB-1987 15:01:01.79" -> "1987-02-26"; "" if it is not that form.
  static std::string IsoDate(const std::string& s) {
    static const char* kMonths[] = {"JAN", "FEB", "MAR", "APR", "MAY", "JUN",
                                    "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"};
    std::vector<std::string> parts = absl::StrSplit(s.substr(0, s.find(' ')), '-');
    int day = 0, year = 0;
    if (parts.size() != 3 || !absl::SimpleAtoi(parts[0], &day) ||
        !absl::SimpleAtoi(parts[2], &year)) {
      return "";
    }
    for (int m = 0; m < 12; ++m) {
      if (parts[1] == kMonths[m]) {
        char buf[16];
        std::snprintf(buf, sizeof(buf), "%04d-%02d-%02d", year, m + 1, day);
        return buf;
      }
    }
    return "";
  }

  std::mutex mu_;
  std::ifstream in_;
};

// ---- generated news ------------------------------------------------------------

const char* kSyllables[] = {"zen", "tor", "bri", "vex", "qua", "lon", "mar", "dex", "vel",
                            "ora", "kin", "sol", "tra", "nix", "cor", "ven", "pal", "rix",
                            "dal", "mon", "ter", "fal", "gor", "lum"};
const char* kOrgSuffixes[] = {"Corp", "Holdings", "Inc", "Group", "Ltd"};
const char* kFirstNames[] = {"John", "Maria", "David", "Anna", "Peter", "Laura", "James", "Elena"};
const char* kPlaces[] = {"London", "Tokyo", "Frankfurt", "New York", "Paris", "Sydney"};

std::string Word(uint64_t n, int syllables) {
  std::string w;
  for (int i = 0; i < syllables; ++i) {
    w += kSyllables[n % std::size(kSyllables)];
    n /= std::size(kSyllables);
  }
  w[0] = static_cast<char>(w[0] - 'a' + 'A');
  return w;
}
// Company k and person k: a name space of 24^3 words, so names recur.
std::string Company(uint64_t k) {
  return absl::StrCat(Word(k, 3), " ", kOrgSuffixes[(k / 13824) % std::size(kOrgSuffixes)]);
}
std::string Person(uint64_t k) {
  return absl::StrCat(kFirstNames[k % std::size(kFirstNames)], " ", Word(k * 7 + 3, 3));
}

// A short wire story; companies are drawn from a range that widens as the
// soak goes on, so new entities keep arriving while old ones recur.
v1::Document GeneratedDocument(std::mt19937_64& rng, const std::string& id, int64_t sent) {
  const uint64_t range = 2000 + static_cast<uint64_t>(sent) * 2;
  const uint64_t a = rng() % range, b = rng() % range, c = rng() % range;
  const std::string ca = Company(a), cb = Company(b), cc = Company(c);
  const std::string ceo = Person(a), analyst = Person(rng() % range);
  const char* place = kPlaces[rng() % std::size(kPlaces)];
  v1::Document doc;
  doc.set_doc_id(id);
  doc.set_title(absl::StrCat(ca, " to buy ", cb));
  char date[16];
  std::snprintf(date, sizeof(date), "2024-%02d-%02d", static_cast<int>(1 + rng() % 12),
                static_cast<int>(1 + rng() % 28));
  doc.set_date(date);
  doc.set_text(absl::StrCat(
      place, ", March 3 - ", ca, " agreed to acquire ", cb, " for ", 10 + rng() % 900,
      " mln dlrs, the companies said on Tuesday.\n", "Chief executive ", ceo,
      " said the deal would make ", ca, " the largest supplier in ", place, ".\n", cc,
      " has invested in ", cb, " since 2019, and ", analyst, ", an analyst at ", cc,
      ", said the price was fair.\n", cb, " shares rose ", rng() % 20, " pct.\n"));
  return doc;
}

// ---- one client ----------------------------------------------------------------

struct Shared {
  Options options;
  Clock::time_point start;
  Clock::time_point stop;
  std::atomic<bool> server_gone{false};
  Counters* counters;
  IdPool* ids;
  Corpus* corpus;
  std::vector<std::unique_ptr<v1::GraphService::Stub>> graph;
  std::vector<std::unique_ptr<v1::IngestService::Stub>> ingest;
};

void Deadline(grpc::ClientContext* ctx, int seconds) {
  ctx->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(seconds));
}

void Client(Shared* sh, int index) {
  std::mt19937_64 rng(sh->options.seed * 1000003 + static_cast<uint64_t>(index));
  v1::GraphService::Stub* graph = sh->graph[index % sh->graph.size()].get();
  v1::IngestService::Stub* ingest = sh->ingest[index % sh->ingest.size()].get();
  std::deque<std::string> mine;  // documents this client ingested and has not deleted
  int64_t generated = 0;
  const int minutes = static_cast<int>(sh->counters->by_minute.size() / kCodes);
  auto record = [&](Kind kind, const grpc::Status& s) {
    const int code = std::clamp(static_cast<int>(s.error_code()), 0, kCodes - 1);
    sh->counters->by_kind[kind][code].fetch_add(1, std::memory_order_relaxed);
    if (Expected(kind, code)) return;
    const int minute = std::min(
        minutes - 1,
        static_cast<int>(std::chrono::duration_cast<std::chrono::minutes>(Clock::now() - sh->start)
                             .count()));
    sh->counters->by_minute[static_cast<size_t>(minute) * kCodes + code].fetch_add(1);
  };
  auto remember = [&](const v1::Entity& e) { sh->ids->Add(e.id()); };

  for (int64_t op = 0; op < sh->options.max_ops_per_client && Clock::now() < sh->stop &&
                       !sh->server_gone.load();
       ++op) {
    int roll = static_cast<int>(rng() % 100);
    int k = 0;
    while (roll >= kMix[k]) roll -= kMix[k++];
    Kind kind = static_cast<Kind>(k);
    uint64_t a = 0, b = 0;
    if ((kind == kNeighbors1 || kind == kNeighbors2 || kind == kPaths || kind == kGetEntity) &&
        !sh->ids->Pick(rng, &a)) {
      kind = kSearch;  // nothing to start from yet
    }
    if (kind == kDelete && mine.size() < 4) kind = kIngest;
    grpc::ClientContext ctx;
    Deadline(&ctx, kind == kIngest ? 60 : 20);
    switch (kind) {
      case kSearch: {
        v1::SearchEntitiesRequest req;
        const uint64_t n = rng();
        // One or two syllables of the invented names, or a common word
        // start of the Reuters vocabulary.
        static const char* kCommon[] = {"ba", "co", "in", "ja", "uni", "fr", "ge", "me"};
        req.set_prefix(n % 3 == 0 ? std::string(kCommon[n % std::size(kCommon)])
                                  : Word(n >> 8, 1 + static_cast<int>(n % 2)));
        req.set_page_size(20);
        v1::SearchEntitiesResponse resp;
        grpc::Status s = graph->SearchEntities(&ctx, req, &resp);
        for (const v1::Entity& e : resp.entities()) remember(e);
        record(kind, s);
        break;
      }
      case kGetEntity: {
        v1::GetEntityRequest req;
        if (rng() % 2 == 0) {
          req.mutable_entity()->set_id(a);
        } else {
          req.mutable_entity()->set_name(Company(rng() % (2000 + sh->counters->docs_sent.load())));
        }
        v1::GetEntityResponse resp;
        record(kind, graph->GetEntity(&ctx, req, &resp));
        break;
      }
      case kNeighbors1:
      case kNeighbors2: {
        v1::GetNeighborsRequest req;
        req.mutable_entity()->set_id(a);
        req.set_hops(kind == kNeighbors1 ? 1 : 2);
        req.set_page_size(50);
        v1::GetNeighborsResponse resp;
        grpc::Status s = graph->GetNeighbors(&ctx, req, &resp);
        for (const v1::NeighborNode& n : resp.nodes()) {
          if (rng() % 8 == 0) remember(n.entity());
        }
        record(kind, s);
        break;
      }
      case kPaths: {
        if (!sh->ids->Pick(rng, &b)) b = a;
        v1::FindPathsRequest req;
        req.mutable_source()->set_id(a);
        req.mutable_target()->set_id(b);
        req.set_mode(v1::SHORTEST);
        req.set_max_hops(4);
        v1::FindPathsResponse resp;
        record(kind, graph->FindPaths(&ctx, req, &resp));
        break;
      }
      case kIngest: {
        v1::IngestDocumentsResponse resp;
        std::unique_ptr<grpc::ClientWriter<v1::Document>> writer =
            ingest->IngestDocuments(&ctx, &resp);
        for (int d = 0; d < sh->options.docs_per_ingest; ++d) {
          v1::Document doc;
          if (!sh->corpus->Next(&doc)) {
            const int64_t sent = sh->counters->docs_sent.load();
            doc = GeneratedDocument(rng, absl::StrCat("soak-", index, "-", generated++), sent);
          }
          sh->counters->docs_sent.fetch_add(1);
          if (!writer->Write(doc)) break;
        }
        writer->WritesDone();
        grpc::Status s = writer->Finish();
        for (const std::string& id : resp.committed_doc_ids()) mine.push_back(id);
        record(kind, s);
        break;
      }
      case kDelete: {
        // A random one of the older half: deletes lag ingests, as in a feed
        // that retracts corrected stories.
        const size_t i = rng() % (mine.size() / 2);
        v1::DeleteDocumentRequest req;
        req.set_doc_id(mine[i]);
        mine.erase(mine.begin() + static_cast<std::ptrdiff_t>(i));
        google::protobuf::Empty resp;
        grpc::Status s = ingest->DeleteDocument(&ctx, req, &resp);
        if (s.ok()) sh->counters->docs_deleted.fetch_add(1);
        record(kind, s);
        break;
      }
      case kKinds:
        break;
    }
  }
}

// ---- sampling ------------------------------------------------------------------

int64_t RssBytes(int pid) {
  std::ifstream in(absl::StrCat("/proc/", pid, "/status"));
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("VmRSS:", 0) == 0) {
      int64_t kb = 0;
      std::vector<std::string> f = absl::StrSplit(line, ' ', absl::SkipEmpty());
      if (f.size() >= 2 && absl::SimpleAtoi(f[1], &kb)) return kb * 1024;
    }
  }
  return -1;
}

// GET /metrics over a plain socket; name -> value of every unlabelled sample.
std::map<std::string, double> Scrape(const std::string& host_port) {
  std::map<std::string, double> out;
  const size_t colon = host_port.rfind(':');
  int port = 0;
  if (colon == std::string::npos || !absl::SimpleAtoi(host_port.substr(colon + 1), &port)) return out;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  if (inet_pton(AF_INET, host_port.substr(0, colon).c_str(), &addr.sin_addr) != 1) return out;
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return out;
  timeval timeout{5, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
  setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof(timeout));
  std::string body;
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0) {
    const std::string req = "GET /metrics HTTP/1.0\r\n\r\n";
    if (send(fd, req.data(), req.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(req.size())) {
      char buf[8192];
      ssize_t n;
      while (body.size() < (8 << 20) && (n = recv(fd, buf, sizeof(buf), 0)) > 0) {
        body.append(buf, static_cast<size_t>(n));
      }
    }
  }
  close(fd);
  for (absl::string_view line : absl::StrSplit(body, '\n')) {
    if (line.empty() || line[0] == '#' || line.find('{') != absl::string_view::npos) continue;
    const size_t sp = line.find(' ');
    double v = 0;
    if (sp != absl::string_view::npos && absl::SimpleAtod(line.substr(sp + 1), &v)) {
      out[std::string(line.substr(0, sp))] = v;
    }
  }
  return out;
}

struct Sample {
  double t = 0;
  int64_t rss = -1;
  int64_t documents = -1;
  int64_t entities = -1;
  int64_t edges = -1;
  int64_t requests = 0;
  std::map<std::string, double> metrics;
};

// Columns of the table and CSV: label, /metrics name, shown in MiB.
const std::vector<std::pair<const char*, const char*>> kGauges = {
    {"block_cache", "kgraph_block_cache_bytes"},
    {"bc_pinned", "kgraph_block_cache_pinned_bytes"},
    {"memtables", "kgraph_memtable_bytes"},
    {"mt_pinned", "kgraph_memtable_pinned_bytes"},
    {"tbl_readers", "kgraph_table_reader_bytes"},
    {"ent_cache", "kgraph_entity_cache_bytes"},
    {"je_alloc", "kgraph_allocator_allocated_bytes"},
    {"je_resident", "kgraph_allocator_resident_bytes"},
    {"je_retained", "kgraph_allocator_retained_bytes"},
};

double MiB(double bytes) { return bytes < 0 ? -1 : bytes / (1 << 20); }

void PrintSample(FILE* f, const Sample& s) {
  std::fprintf(f, "%6.0f %8.1f %9lld %9lld %9lld %10lld", s.t, MiB(static_cast<double>(s.rss)),
               static_cast<long long>(s.documents), static_cast<long long>(s.entities),
               static_cast<long long>(s.edges), static_cast<long long>(s.requests));
  for (const auto& [label, name] : kGauges) {
    auto it = s.metrics.find(name);
    std::fprintf(f, " %11.1f", it == s.metrics.end() ? -1.0 : MiB(it->second));
  }
  auto it = s.metrics.find("kgraph_entity_cache_entries");
  auto sst = s.metrics.find("kgraph_live_sst_files");
  std::fprintf(f, " %9.0f %5.0f\n", it == s.metrics.end() ? -1.0 : it->second,
               sst == s.metrics.end() ? -1.0 : sst->second);
}

void PrintHeader(FILE* f) {
  std::fprintf(f, "%6s %8s %9s %9s %9s %10s", "t_s", "rss_MiB", "docs", "entities", "edges",
               "requests");
  for (const auto& [label, name] : kGauges) std::fprintf(f, " %11s", label);
  std::fprintf(f, " %9s %5s\n", "ent_cnt", "ssts");
}

int64_t TotalRequests(const Counters& c) {
  int64_t n = 0;
  for (const auto& kind : c.by_kind) {
    for (const auto& v : kind) n += v.load();
  }
  return n;
}

int Run(const Options& options) {
  const int minutes = static_cast<int>(options.minutes) + 2;
  Counters counters(minutes);
  IdPool ids;
  Corpus corpus(options.corpus);
  Shared sh;
  sh.options = options;
  sh.counters = &counters;
  sh.ids = &ids;
  sh.corpus = &corpus;
  // A few HTTP/2 connections, as a fleet of clients would open.
  const int conns = std::max(1, std::min(8, options.clients / 6));
  for (int i = 0; i < conns; ++i) {
    grpc::ChannelArguments args;
    args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
    args.SetInt("kgraph.soak.channel", i);
    args.SetMaxReceiveMessageSize(64 << 20);
    auto channel = grpc::CreateCustomChannel(options.target, grpc::InsecureChannelCredentials(), args);
    if (!channel->WaitForConnected(std::chrono::system_clock::now() + std::chrono::seconds(20))) {
      std::fprintf(stderr, "kgraph-soak: cannot connect to kgraphd at %s\n", options.target.c_str());
      return 2;
    }
    sh.graph.push_back(v1::GraphService::NewStub(channel));
    sh.ingest.push_back(v1::IngestService::NewStub(channel));
  }
  sh.start = Clock::now();
  sh.stop = sh.start + std::chrono::milliseconds(static_cast<int64_t>(options.minutes * 60'000));

  std::vector<Sample> samples;
  auto sample = [&] {
    Sample s;
    s.t = std::chrono::duration<double>(Clock::now() - sh.start).count();
    s.rss = options.server_pid > 0 ? RssBytes(options.server_pid) : -1;
    if (options.server_pid > 0 && s.rss < 0) sh.server_gone = true;
    grpc::ClientContext ctx;
    Deadline(&ctx, 20);
    v1::GetStatsResponse stats;
    if (sh.graph[0]->GetStats(&ctx, v1::GetStatsRequest(), &stats).ok()) {
      s.documents = stats.documents();
      s.entities = stats.entities();
      s.edges = stats.edges();
    }
    s.requests = TotalRequests(counters);
    if (!options.metrics.empty()) s.metrics = Scrape(options.metrics);
    samples.push_back(s);
    PrintSample(stderr, s);
  };
  PrintHeader(stderr);
  sample();

  std::vector<std::thread> threads;
  for (int i = 0; i < options.clients; ++i) threads.emplace_back(Client, &sh, i);
  // The sampler: bounded by the same deadline as the clients.
  auto next = sh.start + std::chrono::seconds(options.sample_seconds);
  while (Clock::now() < sh.stop && !sh.server_gone.load()) {
    std::this_thread::sleep_until(std::min(next, sh.stop));
    if (Clock::now() >= next) {
      sample();
      next += std::chrono::seconds(options.sample_seconds);
    }
  }
  for (std::thread& t : threads) t.join();
  sample();
  const double seconds = std::chrono::duration<double>(Clock::now() - sh.start).count();

  std::printf("\nkgraph-soak: %d clients, %.1f s, %lld documents sent, %lld deleted\n",
              options.clients, seconds, static_cast<long long>(counters.docs_sent.load()),
              static_cast<long long>(counters.docs_deleted.load()));
  std::printf("\nMemory (MiB unless stated) every %d s:\n", options.sample_seconds);
  PrintHeader(stdout);
  for (const Sample& s : samples) PrintSample(stdout, s);

  std::printf("\nRequests by kind and status:\n");
  int64_t unexpected = 0;
  for (int k = 0; k < kKinds; ++k) {
    int64_t total = 0;
    std::string codes;
    for (int c = 0; c < kCodes; ++c) {
      const int64_t n = counters.by_kind[k][c].load();
      if (n == 0) continue;
      total += n;
      if (!Expected(static_cast<Kind>(k), c)) unexpected += n;
      absl::StrAppend(&codes, " ", CodeName(c), "=", n);
    }
    std::printf("  %-20s %9lld (%.1f/s)%s\n", kKindNames[k], static_cast<long long>(total),
                total / seconds, codes.c_str());
  }
  std::printf("\nErrors by minute (codes other than OK, and NOT_FOUND/RESOURCE_EXHAUSTED of reads):\n");
  for (int m = 0; m < minutes; ++m) {
    std::string codes;
    for (int c = 0; c < kCodes; ++c) {
      const int64_t n = counters.by_minute[static_cast<size_t>(m) * kCodes + c].load();
      if (n > 0) absl::StrAppend(&codes, " ", CodeName(c), "=", n);
    }
    if (m < static_cast<int>(seconds / 60) + 1) {
      std::printf("  minute %2d:%s\n", m, codes.empty() ? " none" : codes.c_str());
    }
  }
  std::printf("  total: %lld\n", static_cast<long long>(unexpected));

  if (!options.csv.empty()) {
    std::ofstream out(options.csv);
    out << "t_s,rss_bytes,documents,entities,edges,requests";
    for (const auto& [label, name] : kGauges) out << "," << name;
    out << ",kgraph_entity_cache_entries,kgraph_live_sst_files\n";
    for (const Sample& s : samples) {
      out << s.t << "," << s.rss << "," << s.documents << "," << s.entities << "," << s.edges << ","
          << s.requests;
      for (const auto& [label, name] : kGauges) {
        auto it = s.metrics.find(name);
        out << "," << (it == s.metrics.end() ? -1 : static_cast<int64_t>(it->second));
      }
      for (const char* name : {"kgraph_entity_cache_entries", "kgraph_live_sst_files"}) {
        auto it = s.metrics.find(name);
        out << "," << (it == s.metrics.end() ? -1 : static_cast<int64_t>(it->second));
      }
      out << "\n";
    }
  }
  if (sh.server_gone.load()) {
    std::printf("\nkgraph-soak: kgraphd (pid %d) is gone\n", options.server_pid);
    return 1;
  }
  return 0;
}

}  // namespace
}  // namespace kgraph::soak

int main(int argc, char** argv) {
  kgraph::soak::Options o;
  CLI::App app{"kgraph-soak: bounded mixed read/ingest/delete load against kgraphd"};
  app.add_option("--target", o.target, "kgraphd gRPC address host:port")->required();
  app.add_option("--metrics", o.metrics, "kgraphd /metrics address host:port");
  app.add_option("--server_pid", o.server_pid, "kgraphd's pid, for its RSS");
  app.add_option("--minutes", o.minutes, "duration")->capture_default_str()->check(CLI::Range(0.05, 120.0));
  app.add_option("--clients", o.clients, "concurrent clients")->capture_default_str()->check(CLI::Range(1, 256));
  app.add_option("--corpus", o.corpus, "JSONL articles to ingest first (id, title, date, text)");
  app.add_option("--csv", o.csv, "write the samples here");
  app.add_option("--sample_seconds", o.sample_seconds)->capture_default_str()->check(CLI::Range(1, 600));
  app.add_option("--max_ops_per_client", o.max_ops_per_client)->capture_default_str()->check(CLI::PositiveNumber);
  app.add_option("--docs_per_ingest", o.docs_per_ingest)->capture_default_str()->check(CLI::Range(1, 1000));
  app.add_option("--seed", o.seed)->capture_default_str();
  CLI11_PARSE(app, argc, argv);
  return kgraph::soak::Run(o);
}
