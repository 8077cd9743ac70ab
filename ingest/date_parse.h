// Dates of news documents: parses the formats found in the corpora kgraph
// reads (Reuters' "1-MAR-1987 10:02:03.12", ISO 8601, RFC 2822 e-mail and feed
// dates, and prose dates such as "March 12, 2024" or "12 March 2024") into ISO
// "YYYY-MM-DD", validating the calendar. A library of its own (kgraph_dates)
// so that the server can validate dates without linking the extractor. Pure
// functions; thread-safe.
#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace kgraph::ingest {

// Returns the calendar date of `text` as "YYYY-MM-DD". Surrounding whitespace
// is ignored and month and weekday names are case-insensitive. Accepted:
//   ISO 8601     "2024-05-01", "2024-05-01T12:00:00Z", "2024-05-01 12:00",
//                "2024-05-01T12:00:00.5+02:00"
//   Reuters      "1-MAR-1987", "26-FEB-1987 15:01:01.79" (everything after
//                the date is ignored: the collection has time stamps such as
//                "605:12:19.12" and trailing teletype codes)
//   RFC 2822     "Tue, 12 Mar 2024 10:00:00 GMT", "12 Mar 2024 10:00 -0500"
//   prose        "March 12, 2024", "Dec. 30, 1998", "Tuesday, March 12, 2024",
//                "12 March 2024", "Sept 1, 2020"
// A time (H:MM[:SS[.f]], optionally AM or PM) and a zone (Z, GMT, EST,
// +0100, +01:00) may follow the RFC 2822 and prose forms; they are checked but
// do not shift the date (the date is the one the source printed). Years have
// four digits, 0001 to 9999; the day must exist in that month (2024-02-29 yes,
// 2023-02-29 no). Otherwise InvalidArgument: 'unparseable date "<text, quoted
// and cut to 64 bytes>": <what was wrong>'.
absl::StatusOr<std::string> ParseDate(absl::string_view text);

}  // namespace kgraph::ingest
