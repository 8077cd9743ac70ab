// Replays fuzz inputs without libFuzzer: the default (gcc) build links each
// fuzz target with this main() and CTest runs it over the target's seed corpus
// and past crash inputs (fuzz_replay_* tests), so CI checks every input ever
// found without fuzzing. A target signals a failure by crashing or aborting,
// which fails the test. Single-threaded.
//
// Usage: fuzz_<target> PATH...  (a directory is replayed file by file in name
// order; dot files such as .gitkeep are skipped). Exits non-zero if a path is
// missing or no input was found at all.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <system_error>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);
// Optional in a target; weak so that targets without it link.
extern "C" int LLVMFuzzerInitialize(int* argc, char*** argv) __attribute__((weak));

namespace {

namespace fs = std::filesystem;

bool ReadFile(const fs::path& path, std::string* out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  out->assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  return !in.bad();
}

// The inputs under `path`, sorted; false if it does not exist.
bool CollectInputs(const fs::path& path, std::vector<fs::path>* inputs) {
  std::error_code ec;
  if (fs::is_regular_file(path, ec)) {
    inputs->push_back(path);
    return true;
  }
  if (!fs::is_directory(path, ec)) return false;
  std::vector<fs::path> found;
  for (const fs::directory_entry& e : fs::recursive_directory_iterator(path, ec)) {
    if (!e.is_regular_file()) continue;
    if (e.path().filename().string().rfind('.', 0) == 0) continue;
    found.push_back(e.path());
  }
  if (ec) return false;
  std::sort(found.begin(), found.end());
  inputs->insert(inputs->end(), found.begin(), found.end());
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  if (LLVMFuzzerInitialize != nullptr) LLVMFuzzerInitialize(&argc, &argv);
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s PATH...\n", argv[0]);
    return 2;
  }
  std::vector<fs::path> inputs;
  for (int i = 1; i < argc; ++i) {
    const size_t before = inputs.size();
    if (!CollectInputs(argv[i], &inputs)) {
      std::fprintf(stderr, "%s: no such file or directory\n", argv[i]);
      return 2;
    }
    std::fprintf(stderr, "%s: %zu input(s)\n", argv[i], inputs.size() - before);
  }
  if (inputs.empty()) {
    std::fprintf(stderr, "no inputs to replay\n");
    return 2;
  }
  std::string data;
  for (const fs::path& input : inputs) {
    if (!ReadFile(input, &data)) {
      std::fprintf(stderr, "%s: cannot read\n", input.c_str());
      return 2;
    }
    // Printed first, so a crash is attributed to its input.
    std::fprintf(stderr, "replaying %s (%zu bytes)\n", input.c_str(), data.size());
    std::fflush(stderr);
    LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t*>(data.data()), data.size());
  }
  std::fprintf(stderr, "replayed %zu input(s), no failure\n", inputs.size());
  return 0;
}
