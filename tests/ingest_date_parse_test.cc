// Tests of ingest/date_parse: every date format of the corpora kgraph reads,
// calendar validation, and the error messages.
#include <string>

#include <gtest/gtest.h>

#include "ingest/date_parse.h"

namespace kgraph::ingest {
namespace {

std::string Parsed(absl::string_view text) {
  absl::StatusOr<std::string> d = ParseDate(text);
  return d.ok() ? *d : "error: " + std::string(d.status().message());
}

std::string Error(absl::string_view text) {
  absl::StatusOr<std::string> d = ParseDate(text);
  EXPECT_FALSE(d.ok()) << text << " parsed as " << *d;
  EXPECT_EQ(d.status().code(), absl::StatusCode::kInvalidArgument);
  return std::string(d.status().message());
}

TEST(ingest_date_parse, ReutersOneAndTwoDigitDays) {
  // The one-digit day was rejected before, dropping 38% of Reuters dates.
  EXPECT_EQ(Parsed("1-MAR-1987 10:02:03.12"), "1987-03-01");
  EXPECT_EQ(Parsed("1-MAR-1987 01:30:29.50"), "1987-03-01");
  EXPECT_EQ(Parsed("26-FEB-1987 15:01:01.79"), "1987-02-26");
  EXPECT_EQ(Parsed("3-MAR-1987  09:15:05.40"), "1987-03-03");
  EXPECT_EQ(Parsed("7-APR-1987 16:22:00.0"), "1987-04-07");
  EXPECT_EQ(Parsed("1-MAR-1987"), "1987-03-01");
  EXPECT_EQ(Parsed("9-apr-1987"), "1987-04-09");
  // The collection's oddities: teletype codes, a comment, a broken time.
  EXPECT_EQ(Parsed("27-MAR-1987 00:03:35.68F"), "1987-03-27");
  EXPECT_EQ(Parsed("27-MAR-1987 08:45:34.42C G T M"), "1987-03-27");
  EXPECT_EQ(Parsed("9-APR-1987 00:00:00.00    # date added by S Finch as guesswork"),
            "1987-04-09");
  EXPECT_EQ(Parsed("31-MAR-1987 605:12:19.12"), "1987-03-31");
}

TEST(ingest_date_parse, Iso8601) {
  EXPECT_EQ(Parsed("2024-05-01"), "2024-05-01");
  EXPECT_EQ(Parsed("  2024-05-01\n"), "2024-05-01");
  EXPECT_EQ(Parsed("2024-05-01T12:00:00Z"), "2024-05-01");
  EXPECT_EQ(Parsed("2024-05-01T12:00:00.123+02:00"), "2024-05-01");
  EXPECT_EQ(Parsed("2024-05-01T23:59:60-0500"), "2024-05-01");
  EXPECT_EQ(Parsed("2024-05-01 12:00"), "2024-05-01");
  EXPECT_EQ(Parsed("2024-05-01 12:00 UTC"), "2024-05-01");
  EXPECT_EQ(Parsed("1987-02-26T15:01:01"), "1987-02-26");
}

TEST(ingest_date_parse, Rfc2822) {
  EXPECT_EQ(Parsed("Tue, 12 Mar 2024 10:00:00 GMT"), "2024-03-12");
  EXPECT_EQ(Parsed("Tue, 12 Mar 2024 10:00:00 +0000"), "2024-03-12");
  EXPECT_EQ(Parsed("12 Mar 2024 10:00 -0500"), "2024-03-12");
  EXPECT_EQ(Parsed("Sun, 1 Dec 2019 08:05:09 EST"), "2019-12-01");
  EXPECT_EQ(Parsed("Mon, 01 Jan 2024"), "2024-01-01");
}

TEST(ingest_date_parse, ProseDates) {
  // Forms of the FIRE filings and of news bylines.
  EXPECT_EQ(Parsed("March 12, 2024"), "2024-03-12");
  EXPECT_EQ(Parsed("April 2, 2012"), "2012-04-02");
  EXPECT_EQ(Parsed("Dec. 30, 1998"), "1998-12-30");
  EXPECT_EQ(Parsed("Sept 1, 2020"), "2020-09-01");
  EXPECT_EQ(Parsed("Tuesday, March 12, 2024"), "2024-03-12");
  EXPECT_EQ(Parsed("12 March 2024"), "2024-03-12");
  EXPECT_EQ(Parsed("1 April 1995"), "1995-04-01");
  EXPECT_EQ(Parsed("march 12 2024"), "2024-03-12");
  EXPECT_EQ(Parsed("March 1st, 2024"), "2024-03-01");
  EXPECT_EQ(Parsed("March 12, 2024 10:00 AM"), "2024-03-12");
  EXPECT_EQ(Parsed("March 12, 2024 9:30 pm EDT"), "2024-03-12");
  EXPECT_NE(Error("March 12, 2024 13:00 PM").find("hour 13 with PM is not 1 to 12"),
            std::string::npos);
}

TEST(ingest_date_parse, CalendarIsValidated) {
  EXPECT_EQ(Error("2024-02-31"),
            "unparseable date \"2024-02-31\": day 31 does not exist in February 2024 "
            "(it has 29 days)");
  EXPECT_EQ(Parsed("2024-02-29"), "2024-02-29");
  EXPECT_NE(Error("2023-02-29").find("February 2023 (it has 28 days)"), std::string::npos);
  EXPECT_NE(Error("1900-02-29").find("February 1900"), std::string::npos);
  EXPECT_EQ(Parsed("2000-02-29"), "2000-02-29");
  EXPECT_EQ(Error("2024-13-01"), "unparseable date \"2024-13-01\": month 13 is not 1 to 12");
  EXPECT_NE(Error("2024-00-10").find("month 0 is not 1 to 12"), std::string::npos);
  EXPECT_NE(Error("2024-04-00").find("day 0 does not exist in April 2024"), std::string::npos);
  EXPECT_NE(Error("31-APR-1987").find("day 31 does not exist in April 1987"), std::string::npos);
  EXPECT_NE(Error("February 30, 2024").find("day 30"), std::string::npos);
  EXPECT_NE(Error("0000-01-01").find("year 0000"), std::string::npos);
  EXPECT_NE(Error("2024-05-01T25:00:00Z").find("out of range"), std::string::npos);
  EXPECT_NE(Error("2024-05-01T12:61").find("out of range"), std::string::npos);
}

TEST(ingest_date_parse, ErrorsSayWhatWasWrong) {
  EXPECT_NE(Error("").find("empty"), std::string::npos);
  EXPECT_NE(Error("yesterday").find("not a recognized date format"), std::string::npos);
  EXPECT_NE(Error("05/01/2024").find("ambiguous"), std::string::npos);
  EXPECT_NE(Error("2024-5-1").find("expected YYYY-MM-DD"), std::string::npos);
  EXPECT_NE(Error("2024-05-01junk").find("unexpected \"junk\" after the date"),
            std::string::npos);
  EXPECT_NE(Error("2024-05-01T12:00:00 and more").find("after the time"), std::string::npos);
  EXPECT_NE(Error("1-MRZ-1987").find("\"MRZ\" is not a month"), std::string::npos);
  EXPECT_NE(Error("1-MAR-87").find("four digits"), std::string::npos);
  EXPECT_NE(Error("12 Mar 24").find("four digits"), std::string::npos);
  EXPECT_NE(Error("Smarch 12, 2024").find("neither a month nor a day"), std::string::npos);
  EXPECT_NE(Error("March 12, 2024 tomorrow").find("unexpected \"tomorrow\""),
            std::string::npos);
}

TEST(ingest_date_parse, EchoedInputIsTruncated) {
  const std::string huge = "2024-05-01T" + std::string(100000, 'x');
  const std::string message = Error(huge);
  EXPECT_LT(message.size(), 300u) << message.substr(0, 300);
  EXPECT_NE(message.find("(100011 bytes)"), std::string::npos) << message;
  const std::string words(100000, 'y');
  EXPECT_LT(Error(words).size(), 300u);
}

}  // namespace
}  // namespace kgraph::ingest
