// Tests of tools/triple_file_reader.h: every format's good and malformed
// lines, error messages that name file and line, and --max-errors semantics.
#include "tools/triple_file_reader.h"

#include <filesystem>
#include <string>

#include <gtest/gtest.h>

#include <xxhash.h>

#include "absl/strings/str_cat.h"
#include "tests/testing/temp_dir.h"

namespace kgraph::admin {
namespace {

using ::kgraph::testing::TempDir;

::testing::AssertionResult Contains(absl::string_view text, const std::string& part) {
  if (std::string(text).find(part) != std::string::npos) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "'" << text << "' does not contain '" << part << "'";
}

class ReaderTest : public ::testing::Test {
 protected:
  // Expects exactly one malformed line, number `line` of `path`: with a budget
  // it is skipped and reported; without one the read fails naming file:line.
  void ExpectOneBadLine(const std::string& path, TripleFormat format, int64_t line,
                        const std::string& message_part, size_t good_triples) {
    SCOPED_TRACE(path);
    TripleFileContents lenient;
    absl::Status s = ReadTripleFile(path, format, 10, &lenient);
    ASSERT_TRUE(s.ok()) << s;
    ASSERT_EQ(lenient.errors.size(), 1u);
    const LineError& e = lenient.errors[0];
    EXPECT_EQ(e.file, path);
    EXPECT_EQ(e.line, line);
    EXPECT_TRUE(Contains(e.message, message_part));
    EXPECT_TRUE(Contains(e.ToString(), absl::StrCat(path, ":", line, ": ")));
    EXPECT_EQ(lenient.triples.size(), good_triples);

    TripleFileContents strict;
    s = ReadTripleFile(path, format, 0, &strict);
    ASSERT_FALSE(s.ok());
    EXPECT_TRUE(absl::IsInvalidArgument(s)) << s;
    EXPECT_TRUE(Contains(s.message(), absl::StrCat(path, ":", line, ": ")));
    EXPECT_TRUE(Contains(s.message(), message_part));
  }

  TempDir dir_;
};
// ctest -R tools selects these tests.
using tools_triple_file_reader = ReaderTest;

// ---- TSV ----

TEST_F(tools_triple_file_reader, TsvReadsTriplesWithOptionalConfidence) {
  std::string p = dir_.WriteFile("t.tsv",
                                 "# comment\n\nAda Lovelace\tborn_in\tLondon\n"
                                 "Bob\tknows\tAda\t0.25\r\n  Carol \t likes \t Dan \n");
  TripleFileContents c;
  ASSERT_TRUE(ReadTripleFile(p, TripleFormat::kAuto, 0, &c).ok());
  ASSERT_EQ(c.triples.size(), 3u);
  EXPECT_EQ(c.triples[0].subject, "Ada Lovelace");
  EXPECT_EQ(c.triples[0].relation, "born_in");
  EXPECT_EQ(c.triples[0].object, "London");
  EXPECT_DOUBLE_EQ(c.triples[0].confidence, 1.0);
  EXPECT_EQ(c.triples[1].object, "Ada") << "CR stripped";
  EXPECT_DOUBLE_EQ(c.triples[1].confidence, 0.25);
  EXPECT_EQ(c.triples[2].subject, "Carol") << "fields trimmed";
  EXPECT_EQ(c.triples[2].relation, "likes");
  EXPECT_TRUE(c.errors.empty());
  EXPECT_GT(c.bytes, 0u);
}

// Issue #10: loads accepted 50 MB names, NUL and control bytes in names,
// and echoed the input whole in their errors.
TEST_F(tools_triple_file_reader, NamesWithControlCharactersOrOverTheLimitAreErrors) {
  const std::string nul = std::string("Ada\0Lovelace", 12);
  ExpectOneBadLine(dir_.WriteFile("nul.tsv", "A\tr\tB\n" + nul + "\tr\tB\n"), TripleFormat::kTsv,
                   2, "contains control character U+0000 at byte 3", 1);
  ExpectOneBadLine(dir_.WriteFile("cr.tsv", "A\tr\tWid\rget\nC\tr\tD\n"), TripleFormat::kTsv, 1,
                   "contains control character U+000D at byte 3", 1);
  const std::string huge(100'000, 'x');
  const std::string p = dir_.WriteFile("huge.tsv", "A\tr\t" + huge + "\n");
  ExpectOneBadLine(p, TripleFormat::kTsv, 1, "object: name of 100000 bytes exceeds the limit of 1024",
                   0);
  TripleFileContents c;
  absl::Status s = ReadTripleFile(p, TripleFormat::kTsv, 0, &c);
  EXPECT_LT(s.message().size(), 400u) << "the name must not be echoed whole";
  ExpectOneBadLine(dir_.WriteFile("rel.tsv", "A\t" + std::string(1025, 'r') + "\tB\n"),
                   TripleFormat::kTsv, 1, "relation: name of 1025 bytes exceeds the limit of 1024",
                   0);
}

// A 50 MB line is not held in memory: it is skipped as malformed, and the
// lines after it are read.
TEST_F(tools_triple_file_reader, LinesOverTheLimitAreSkippedUnread) {
  const std::string huge(50u << 20, 'x');
  const std::string p = dir_.WriteFile("long.tsv", "A\tr\tB\nC\tr\t" + huge + "\nE\tr\tF\n");
  ExpectOneBadLine(p, TripleFormat::kTsv, 2,
                   "line of 52428804 bytes exceeds the limit of 1048576 (names are at most 1024 "
                   "bytes)",
                   2);
  // Also as the last line, without a newline, and in every format.
  for (auto [name, format] : {std::pair<const char*, TripleFormat>{"l.tsv", TripleFormat::kTsv},
                              {"l.csv", TripleFormat::kCsv},
                              {"l.jsonl", TripleFormat::kJsonl},
                              {"l.nt", TripleFormat::kNTriples}}) {
    const std::string good = format == TripleFormat::kJsonl
                                 ? "{\"subject\":\"A\",\"relation\":\"r\",\"object\":\"B\"}\n"
                             : format == TripleFormat::kNTriples ? "<A> <r> <B> .\n"
                             : format == TripleFormat::kCsv      ? "A,r,B\n"
                                                                 : "A\tr\tB\n";
    ExpectOneBadLine(dir_.WriteFile(name, good + std::string(3u << 20, 'y')), format, 2,
                     "line of 3145728 bytes exceeds the limit", 1);
  }
}

// Lines that cross the reader's 1 MiB chunks are read whole, and the content
// hash is the one the line-at-a-time reader computed, so a file loaded before
// is still recognized as already loaded.
TEST_F(tools_triple_file_reader, ChunkedReadingKeepsLinesAndTheContentHash) {
  std::string content;
  size_t lines = 0;
  while (content.size() < (5u << 20) / 2) {
    content += absl::StrCat("Subject ", lines, "\trelation\tObject ", lines % 977,
                            lines % 3 == 0 ? "\r\n" : "\n");
    ++lines;
  }
  content += "Last\tr\tLine";  // no final newline
  ++lines;
  const std::string p = dir_.WriteFile("big.tsv", content);
  TripleFileContents c;
  ASSERT_TRUE(ReadTripleFile(p, TripleFormat::kTsv, 0, &c).ok());
  ASSERT_EQ(c.triples.size(), lines);
  EXPECT_EQ(c.triples[1].object, "Object 1");
  EXPECT_EQ(c.triples.back().object, "Line");
  EXPECT_EQ(c.content_hash, XXH3_64bits((content + "\n").data(), content.size() + 1));
  EXPECT_EQ(c.bytes, content.size() + 1);
}

TEST_F(tools_triple_file_reader, LongConfidenceIsNotEchoedWhole) {
  const std::string p = dir_.WriteFile("conf.tsv", "A\tr\tB\t" + std::string(5000, '9') + "x\n");
  TripleFileContents c;
  absl::Status s = ReadTripleFile(p, TripleFormat::kTsv, 0, &c);
  ASSERT_FALSE(s.ok());
  EXPECT_LT(s.message().size(), 400u) << s.message().substr(0, 200);
}

TEST_F(tools_triple_file_reader, FileWithNoTriplesIsAnError) {
  for (const char* contents : {"", "\n\n", "# only a comment\n\n"}) {
    SCOPED_TRACE(contents);
    const std::string p = dir_.WriteFile("empty.tsv", contents);
    TripleFileContents c;
    absl::Status s = ReadTripleFile(p, TripleFormat::kTsv, 0, &c);
    ASSERT_FALSE(s.ok());
    EXPECT_TRUE(absl::IsInvalidArgument(s)) << s;
    EXPECT_TRUE(Contains(s.message(), p + ": no triples")) << s;
  }
}

TEST_F(tools_triple_file_reader, TsvTwoFieldsIsError) {
  ExpectOneBadLine(dir_.WriteFile("a.tsv", "A\tr\tB\nonly\ttwo\nC\tr\tD\n"), TripleFormat::kTsv, 2,
                   "got 2 field(s)", 2);
}

TEST_F(tools_triple_file_reader, TsvFiveFieldsIsError) {
  ExpectOneBadLine(dir_.WriteFile("a.tsv", "A\tr\tB\nC\tr\tD\t0.5\textra\n"), TripleFormat::kTsv,
                   2, "got 5 field(s)", 1);
}

TEST_F(tools_triple_file_reader, TsvEmptySubjectIsError) {
  ExpectOneBadLine(dir_.WriteFile("a.tsv", "# header comment\n\tr\tB\nA\tr\tB\n"),
                   TripleFormat::kTsv, 2, "must be non-empty", 1);
}

TEST_F(tools_triple_file_reader, TsvSubjectWithoutLettersIsError) {
  ExpectOneBadLine(dir_.WriteFile("a.tsv", "A\tr\tB\n!!!\tr\tB\n"), TripleFormat::kTsv, 2,
                   "no letters or digits", 1);
}

TEST_F(tools_triple_file_reader, TsvNonNumericConfidenceIsError) {
  ExpectOneBadLine(dir_.WriteFile("a.tsv", "A\tr\tB\t0.5\nA\tr\tC\tx\n"), TripleFormat::kTsv, 2,
                   "confidence \"x\"", 1);
}

TEST_F(tools_triple_file_reader, TsvConfidenceAboveOneIsError) {
  ExpectOneBadLine(dir_.WriteFile("a.tsv", "A\tr\tB\t1.5\nA\tr\tC\t1\n"), TripleFormat::kTsv, 1,
                   "confidence \"1.5\"", 1);
}

TEST_F(tools_triple_file_reader, TsvNegativeConfidenceIsError) {
  ExpectOneBadLine(dir_.WriteFile("a.tsv", "A\tr\tB\t-0.1\n"), TripleFormat::kTsv, 1,
                   "not a number in [0, 1]", 0);
}

TEST_F(tools_triple_file_reader, TsvInvalidUtf8IsError) {
  ExpectOneBadLine(dir_.WriteFile("a.tsv", "A\tr\tB\nCaf\xc3\tr\tB\nZ\tr\tB\n"), TripleFormat::kTsv,
                   2, "is not valid UTF-8", 2);
}

TEST_F(tools_triple_file_reader, LineNumbersCountBlankAndCommentLines) {
  ExpectOneBadLine(dir_.WriteFile("a.tsv", "\n# c\n\nA\tr\tB\n\n# c2\nbad line\n"),
                   TripleFormat::kTsv, 7, "got 1 field(s)", 1);
}

// ---- CSV ----

TEST_F(tools_triple_file_reader, CsvSkipsHeaderAndUnquotesFields) {
  std::string p = dir_.WriteFile(
      "t.csv", "subject,relation,object,confidence\n\"Smith, John\",knows,\"Ada \"\"A\"\" L\",0.5\nX,r,Y\n");
  TripleFileContents c;
  absl::Status s = ReadTripleFile(p, TripleFormat::kAuto, 0, &c);
  ASSERT_TRUE(s.ok()) << s;
  ASSERT_EQ(c.triples.size(), 2u);
  EXPECT_EQ(c.triples[0].subject, "Smith, John");
  EXPECT_EQ(c.triples[0].object, "Ada \"A\" L");
  EXPECT_DOUBLE_EQ(c.triples[0].confidence, 0.5);
  EXPECT_EQ(c.triples[1].subject, "X");
}

TEST_F(tools_triple_file_reader, CsvHeaderIsOnlySkippedOnFirstLine) {
  // "subject" as a subject later in the file is data, not a header.
  std::string p = dir_.WriteFile("t.csv", "A,r,B\nsubject,r,object\n");
  TripleFileContents c;
  ASSERT_TRUE(ReadTripleFile(p, TripleFormat::kCsv, 0, &c).ok());
  ASSERT_EQ(c.triples.size(), 2u);
  EXPECT_EQ(c.triples[1].subject, "subject");
}

TEST_F(tools_triple_file_reader, CsvUnterminatedQuoteIsError) {
  ExpectOneBadLine(dir_.WriteFile("a.csv", "A,r,B\n\"Open quote,r,B\nC,r,D\n"), TripleFormat::kCsv,
                   2, "unterminated quoted field", 2);
}

TEST_F(tools_triple_file_reader, CsvWrongFieldCountIsError) {
  ExpectOneBadLine(dir_.WriteFile("a.csv", "A,r\n"), TripleFormat::kCsv, 1, "got 2 field(s)", 0);
}

// ---- JSON lines ----

TEST_F(tools_triple_file_reader, JsonlReadsObjects) {
  std::string p = dir_.WriteFile(
      "t.jsonl",
      "{\"subject\":\"Ada\",\"relation\":\"born_in\",\"object\":\"London\",\"confidence\":0.75}\n"
      "{\"object\":\"B\",\"relation\":\"r\",\"subject\":\"A\",\"extra\":[1]}\n");
  TripleFileContents c;
  ASSERT_TRUE(ReadTripleFile(p, TripleFormat::kAuto, 0, &c).ok());
  ASSERT_EQ(c.triples.size(), 2u);
  EXPECT_EQ(c.triples[0].object, "London");
  EXPECT_DOUBLE_EQ(c.triples[0].confidence, 0.75);
  EXPECT_EQ(c.triples[1].subject, "A");
  EXPECT_DOUBLE_EQ(c.triples[1].confidence, 1.0);
}

TEST_F(tools_triple_file_reader, JsonlNotAnObjectIsError) {
  ExpectOneBadLine(dir_.WriteFile("a.jsonl", "{\"subject\":\"A\",\"relation\":\"r\",\"object\":\"B\"}\n[1,2,3]\n"),
                   TripleFormat::kJsonl, 2, "not a JSON object", 1);
  ExpectOneBadLine(dir_.WriteFile("b.jsonl", "{\"subject\": \"A\",\n"), TripleFormat::kJsonl, 1,
                   "not a JSON object", 0);
}

TEST_F(tools_triple_file_reader, JsonlMissingOrWrongTypedFieldIsError) {
  ExpectOneBadLine(dir_.WriteFile("a.jsonl", "{\"subject\":\"A\",\"relation\":\"r\"}\n"),
                   TripleFormat::kJsonl, 1, "missing field \"object\"", 0);
  ExpectOneBadLine(dir_.WriteFile("b.jsonl", "{\"subject\":\"A\",\"relation\":\"r\",\"object\":5}\n"),
                   TripleFormat::kJsonl, 1, "field \"object\": expected a string, found number", 0);
  ExpectOneBadLine(
      dir_.WriteFile("c.jsonl", "{\"subject\":[\"A\"],\"relation\":\"r\",\"object\":\"B\"}\n"),
      TripleFormat::kJsonl, 1, "field \"subject\": expected a string, found array", 0);
  ExpectOneBadLine(
      dir_.WriteFile("d.jsonl", "{\"subject\":\"A\",\"relation\":null,\"object\":\"B\"}\n"),
      TripleFormat::kJsonl, 1, "field \"relation\": expected a string, found null", 0);
  ExpectOneBadLine(
      dir_.WriteFile("e.jsonl", "{\"subject\":\"A\\u0000B\",\"relation\":\"r\",\"object\":\"B\"}\n"),
      TripleFormat::kJsonl, 1, "subject: name \"A\\x00B\" contains control character U+0000", 0);
}

TEST_F(tools_triple_file_reader, JsonlDeepNestingIsAnErrorNamingTheLine) {
  const std::string deep(100000, '[');
  ExpectOneBadLine(
      dir_.WriteFile("deep.jsonl", "{\"subject\":\"A\",\"relation\":\"r\",\"object\":\"B\"}\n" +
                                       deep + std::string(100000, ']') + "\n"),
      TripleFormat::kJsonl, 2, "nested deeper than 1024 levels", 1);
  ExpectOneBadLine(
      dir_.WriteFile("open.jsonl", "{\"subject\":\"A\",\"relation\":\"r\",\"object\":\"B\"}\n" +
                                       deep + "\n"),
      TripleFormat::kJsonl, 2, "not a JSON object", 1);
}

TEST_F(tools_triple_file_reader, JsonlNonNumberConfidenceIsError) {
  ExpectOneBadLine(
      dir_.WriteFile("a.jsonl",
                     "{\"subject\":\"A\",\"relation\":\"r\",\"object\":\"B\",\"confidence\":\"0.5\"}\n"),
      TripleFormat::kJsonl, 1, "field \"confidence\": expected a number, found string", 0);
  ExpectOneBadLine(
      dir_.WriteFile("b.jsonl",
                     "{\"subject\":\"A\",\"relation\":\"r\",\"object\":\"B\",\"confidence\":2}\n"),
      TripleFormat::kJsonl, 1, "not a number in [0, 1]", 0);
}

// Regression: the JSON number used to go through std::to_string ("%f", six
// decimals), so 0.123456789 became 0.123457 and 4e-7 became 0.
TEST_F(tools_triple_file_reader, JsonlConfidenceKeepsFullPrecision) {
  std::string p = dir_.WriteFile(
      "t.jsonl",
      "{\"subject\":\"A\",\"relation\":\"r\",\"object\":\"B\",\"confidence\":0.123456789}\n"
      "{\"subject\":\"A\",\"relation\":\"r\",\"object\":\"C\",\"confidence\":4e-7}\n");
  TripleFileContents c;
  ASSERT_TRUE(ReadTripleFile(p, TripleFormat::kJsonl, 0, &c).ok());
  ASSERT_EQ(c.triples.size(), 2u);
  EXPECT_DOUBLE_EQ(c.triples[0].confidence, 0.123456789);
  EXPECT_DOUBLE_EQ(c.triples[1].confidence, 4e-7);
}

// ---- N-Triples ----

TEST_F(tools_triple_file_reader, NTriplesReadsIrisBlankNodesAndLiterals) {
  std::string p = dir_.WriteFile(
      "t.nt",
      "<http://ex.org/Ada> <http://ex.org/bornIn> <http://ex.org/London> .\n"
      "_:b1 <http://ex.org/name> \"Ada \\\"the\\\" Countess\"@en .\n"
      "<http://ex.org/Ada> <http://ex.org/year> \"1815\"^^<http://www.w3.org/2001/XMLSchema#int> .\n");
  TripleFileContents c;
  absl::Status s = ReadTripleFile(p, TripleFormat::kAuto, 0, &c);
  ASSERT_TRUE(s.ok()) << s;
  ASSERT_EQ(c.triples.size(), 3u);
  EXPECT_EQ(c.triples[0].subject, "http://ex.org/Ada");
  EXPECT_EQ(c.triples[0].relation, "http://ex.org/bornIn");
  EXPECT_EQ(c.triples[0].object, "http://ex.org/London");
  EXPECT_EQ(c.triples[1].subject, "_:b1");
  EXPECT_EQ(c.triples[1].object, "Ada \"the\" Countess") << "literal object, language tag dropped";
  EXPECT_EQ(c.triples[2].object, "1815") << "typed literal";
}

TEST_F(tools_triple_file_reader, NTriplesDecodesEscapesAndAllowsTrailingComments) {
  std::string p = dir_.WriteFile(
      "e.nt",
      "<http://ex.org/Caf\\u00E9> <http://ex.org/p> \"Z\\u00FCrich \\U0001F600 \\\"q\\\"\" . # comment\n"
      "<http://ex.org/a> <http://ex.org/p> \"x\"@en-GB .\n");
  TripleFileContents c;
  absl::Status s = ReadTripleFile(p, TripleFormat::kAuto, 0, &c);
  ASSERT_TRUE(s.ok()) << s;
  ASSERT_EQ(c.triples.size(), 2u);
  EXPECT_EQ(c.triples[0].subject, "http://ex.org/Caf\xC3\xA9");
  EXPECT_EQ(c.triples[0].object, "Z\xC3\xBCrich \xF0\x9F\x98\x80 \"q\"");
  EXPECT_EQ(c.triples[1].object, "x");
  ExpectOneBadLine(dir_.WriteFile("bad.nt", "<a> <p> \"bad \\q escape\" .\n"),
                   TripleFormat::kNTriples, 1, "not an N-Triples statement", 0);
  ExpectOneBadLine(dir_.WriteFile("sur.nt", "<a> <p> \"half \\uD800\" .\n"),
                   TripleFormat::kNTriples, 1, "not an N-Triples statement", 0);
  ExpectOneBadLine(dir_.WriteFile("nul.nt", "<a> <p> \"nul \\u0000\" .\n"),
                   TripleFormat::kNTriples, 1, "contains control character U+0000", 0);
  ExpectOneBadLine(dir_.WriteFile("junk.nt", "<a> <p> <b> . junk\n"), TripleFormat::kNTriples, 1,
                   "a comment may follow", 0);
}

TEST_F(tools_triple_file_reader, NTriplesMissingDotIsError) {
  ExpectOneBadLine(dir_.WriteFile("a.nt", "<a> <p> <b> .\n<a> <p> <c>\n"), TripleFormat::kNTriples,
                   2, "must end with ' .'", 1);
}

TEST_F(tools_triple_file_reader, NTriplesBadTermIsError) {
  ExpectOneBadLine(dir_.WriteFile("a.nt", "a <p> <b> .\n"), TripleFormat::kNTriples, 1,
                   "not an N-Triples statement", 0);
  ExpectOneBadLine(dir_.WriteFile("b.nt", "<a> <p> <unterminated .\n"), TripleFormat::kNTriples,
                   1, "not an N-Triples statement", 0);
  ExpectOneBadLine(dir_.WriteFile("c.nt", "\"literal subject\" <p> <b> .\n"),
                   TripleFormat::kNTriples, 1, "not an N-Triples statement", 0);
}

// ---- FB15k ----

class Fb15kReaderTest : public ReaderTest {
 protected:
  std::string MakeDataset(const std::string& name, const std::string& train,
                          bool with_entities = true) {
    std::string d = dir_.Sub(name);
    std::filesystem::create_directories(d);
    if (with_entities) dir_.WriteFile(name + "/entity2id.txt", "3\n/m/a\t0\n/m/b\t1\n/m/c\t2\n");
    dir_.WriteFile(name + "/relation2id.txt", "2\n/rel/x\t0\n/rel/y\t1\n");
    dir_.WriteFile(name + "/train2id.txt", train);
    return d;
  }
};
// ctest -R tools selects these tests.
using tools_fb15k_reader = Fb15kReaderTest;

TEST_F(tools_fb15k_reader, ReadsDirectoryAndTrainFile) {
  std::string d = MakeDataset("ok", "2\n0 1 0\n1 2 1\n");
  TripleFileContents c;
  absl::Status s = ReadTripleFile(d, TripleFormat::kAuto, 0, &c);
  ASSERT_TRUE(s.ok()) << s;
  ASSERT_EQ(c.triples.size(), 2u);
  EXPECT_EQ(c.triples[0].subject, "/m/a");
  EXPECT_EQ(c.triples[0].object, "/m/b") << "line order is head tail relation";
  EXPECT_EQ(c.triples[0].relation, "/rel/x");
  EXPECT_EQ(c.triples[1].relation, "/rel/y");
  TripleFileContents by_file;
  ASSERT_TRUE(ReadTripleFile(d + "/train2id.txt", TripleFormat::kAuto, 0, &by_file).ok());
  EXPECT_EQ(by_file.triples.size(), 2u);
  EXPECT_EQ(by_file.content_hash, c.content_hash);
}

TEST_F(tools_fb15k_reader, NonNumericIdIsError) {
  std::string d = MakeDataset("bad", "2\n0 1 0\n0 x 1\n");
  ExpectOneBadLine(d + "/train2id.txt", TripleFormat::kFb15k, 3, "expected '<head id>", 1);
}

TEST_F(tools_fb15k_reader, OutOfRangeEntityIdIsError) {
  std::string d = MakeDataset("range", "2\n0 3 0\n0 1 0\n");
  ExpectOneBadLine(d + "/train2id.txt", TripleFormat::kFb15k, 2, "entity id out of range", 1);
}

TEST_F(tools_fb15k_reader, OutOfRangeRelationIdIsError) {
  std::string d = MakeDataset("rel", "2\n0 1 0\n0 1 2\n");
  ExpectOneBadLine(d + "/train2id.txt", TripleFormat::kFb15k, 3, "relation id out of range", 1);
}

TEST_F(tools_fb15k_reader, NegativeIdIsError) {
  std::string d = MakeDataset("neg", "1\n-1 1 0\n");
  ExpectOneBadLine(d + "/train2id.txt", TripleFormat::kFb15k, 2, "entity id out of range", 0);
}

TEST_F(tools_fb15k_reader, MissingEntityMapIsNotFoundNamingTheFile) {
  std::string d = MakeDataset("noent", "1\n0 1 0\n", /*with_entities=*/false);
  TripleFileContents c;
  absl::Status s = ReadTripleFile(d, TripleFormat::kAuto, 100, &c);
  EXPECT_TRUE(absl::IsNotFound(s)) << s;
  EXPECT_TRUE(Contains(s.message(), d + "/entity2id.txt"));
  EXPECT_TRUE(c.triples.empty());
}

TEST_F(tools_fb15k_reader, ImpossibleEntryCountIsRefusedBeforeAllocating) {
  std::string d = MakeDataset("count", "1\n0 1 0\n");
  dir_.WriteFile("count/entity2id.txt", "99999999999\n/m/a\t0\n");
  TripleFileContents c;
  absl::Status s = ReadTripleFile(d, TripleFormat::kAuto, 100, &c);
  EXPECT_TRUE(absl::IsInvalidArgument(s)) << s;
  EXPECT_TRUE(Contains(s.message(), d + "/entity2id.txt:1: declares 99999999999 entries")) << s;
}

TEST_F(tools_fb15k_reader, TrainFileWithNoTriplesIsAnError) {
  std::string d = MakeDataset("none", "0\n");
  TripleFileContents c;
  absl::Status s = ReadTripleFile(d, TripleFormat::kAuto, 0, &c);
  EXPECT_TRUE(absl::IsInvalidArgument(s)) << s;
  EXPECT_TRUE(Contains(s.message(), ": no triples")) << s;
}

TEST_F(tools_fb15k_reader, MalformedEntityMapLineNamesFileAndLine) {
  std::string d = MakeDataset("badmap", "1\n0 1 0\n");
  dir_.WriteFile("badmap/entity2id.txt", "3\n/m/a\t0\n/m/b\tone\n/m/c\t2\n");
  TripleFileContents c;
  absl::Status s = ReadTripleFile(d, TripleFormat::kAuto, 100, &c);
  EXPECT_TRUE(absl::IsInvalidArgument(s)) << s;
  EXPECT_TRUE(Contains(s.message(), d + "/entity2id.txt:3:"));
}

// ---- Error budget, format names, missing files ----

TEST_F(tools_triple_file_reader, MaxErrorsAllowsUpToNAndAbortsOnNPlusOne) {
  std::string p = dir_.WriteFile("m.tsv", "A\tr\tB\nbad1\nC\tr\tD\nbad2\nE\tr\tF\nbad3\nG\tr\tH\n");
  {
    TripleFileContents c;
    absl::Status s = ReadTripleFile(p, TripleFormat::kTsv, 3, &c);
    ASSERT_TRUE(s.ok()) << s;
    EXPECT_EQ(c.triples.size(), 4u);
    ASSERT_EQ(c.errors.size(), 3u);
    EXPECT_EQ(c.errors[0].line, 2);
    EXPECT_EQ(c.errors[1].line, 4);
    EXPECT_EQ(c.errors[2].line, 6);
  }
  {
    TripleFileContents c;
    absl::Status s = ReadTripleFile(p, TripleFormat::kTsv, 2, &c);
    ASSERT_FALSE(s.ok());
    EXPECT_TRUE(absl::IsInvalidArgument(s)) << s;
    EXPECT_TRUE(Contains(s.message(), p + ":6: ")) << "names the line that broke the budget";
    EXPECT_TRUE(Contains(s.message(), "3 malformed line(s)"));
    EXPECT_TRUE(Contains(s.message(), "--max-errors 2"));
  }
  {
    TripleFileContents c;
    absl::Status s = ReadTripleFile(p, TripleFormat::kTsv, 0, &c);
    ASSERT_FALSE(s.ok());
    EXPECT_TRUE(Contains(s.message(), p + ":2: "));
  }
}

TEST_F(tools_triple_file_reader, ContentHashDependsOnBytes) {
  std::string a = dir_.WriteFile("a.tsv", "A\tr\tB\n");
  std::string b = dir_.WriteFile("b.tsv", "A\tr\tB\n");
  std::string c = dir_.WriteFile("c.tsv", "A\tr\tC\n");
  TripleFileContents ca, cb, cc;
  ASSERT_TRUE(ReadTripleFile(a, TripleFormat::kTsv, 0, &ca).ok());
  ASSERT_TRUE(ReadTripleFile(b, TripleFormat::kTsv, 0, &cb).ok());
  ASSERT_TRUE(ReadTripleFile(c, TripleFormat::kTsv, 0, &cc).ok());
  EXPECT_EQ(ca.content_hash, cb.content_hash);
  EXPECT_NE(ca.content_hash, cc.content_hash);
}

TEST_F(tools_triple_file_reader, MissingFileIsNotFound) {
  TripleFileContents c;
  absl::Status s = ReadTripleFile(dir_.Sub("absent.tsv"), TripleFormat::kAuto, 0, &c);
  EXPECT_TRUE(absl::IsNotFound(s)) << s;
  EXPECT_TRUE(Contains(s.message(), dir_.Sub("absent.tsv")));
}

TEST_F(tools_triple_file_reader, ParseTripleFormatNames) {
  EXPECT_EQ(*ParseTripleFormat("tsv"), TripleFormat::kTsv);
  EXPECT_EQ(*ParseTripleFormat("CSV"), TripleFormat::kCsv);
  EXPECT_EQ(*ParseTripleFormat("jsonl"), TripleFormat::kJsonl);
  EXPECT_EQ(*ParseTripleFormat("nt"), TripleFormat::kNTriples);
  EXPECT_EQ(*ParseTripleFormat("fb15k"), TripleFormat::kFb15k);
  EXPECT_EQ(*ParseTripleFormat("auto"), TripleFormat::kAuto);
  auto bad = ParseTripleFormat("xml");
  EXPECT_TRUE(absl::IsInvalidArgument(bad.status()));
  EXPECT_TRUE(Contains(bad.status().message(), "'xml'"));
}

}  // namespace
}  // namespace kgraph::admin
