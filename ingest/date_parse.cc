#include "ingest/date_parse.h"

#include <vector>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "model/text_limits.h"

namespace kgraph::ingest {
namespace {

constexpr const char* kMonthNames[12] = {"january", "february", "march",     "april",
                                         "may",     "june",     "july",      "august",
                                         "september", "october", "november", "december"};
constexpr const char* kWeekdayNames[7] = {"monday", "tuesday",  "wednesday", "thursday",
                                          "friday", "saturday", "sunday"};

// QuoteForMessage takes std::string_view, which this abseil does not alias.
std::string Quote(absl::string_view s, size_t max_bytes = 64) {
  return QuoteForMessage(std::string_view(s.data(), s.size()), max_bytes);
}

absl::Status Unparseable(absl::string_view text, absl::string_view why) {
  return absl::InvalidArgumentError(
      absl::StrCat("unparseable date ", Quote(text), ": ", why));
}

bool AllDigits(absl::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!absl::ascii_isdigit(c)) return false;
  }
  return true;
}

// The value of 1 to 4 decimal digits; -1 if `s` is anything else.
int SmallNumber(absl::string_view s) {
  if (s.size() > 4 || !AllDigits(s)) return -1;
  int v = 0;
  for (char c : s) v = v * 10 + (c - '0');
  return v;
}

// `word` lower-cased without one trailing '.' ("Dec." -> "dec").
std::string NameWord(absl::string_view word) {
  if (!word.empty() && word.back() == '.') word.remove_suffix(1);
  return absl::AsciiStrToLower(word);
}

// 1 to 12 for a month name, its three-letter abbreviation or "sept"; else 0.
int MonthFromName(absl::string_view word) {
  const std::string w = NameWord(word);
  for (int m = 0; m < 12; ++m) {
    const absl::string_view full = kMonthNames[m];
    if (w == full || (w.size() == 3 && full.substr(0, 3) == w)) return m + 1;
  }
  return w == "sept" ? 9 : 0;
}

bool IsWeekday(absl::string_view word) {
  const std::string w = NameWord(word);
  for (const char* name : kWeekdayNames) {
    const absl::string_view full = name;
    if (w == full || (w.size() == 3 && full.substr(0, 3) == w)) return true;
  }
  return false;
}

int DaysInMonth(int year, int month) {
  static constexpr int kDays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : kDays[month - 1];
}

absl::StatusOr<std::string> CalendarDate(absl::string_view text, int year, int month, int day) {
  if (year < 1 || year > 9999) return Unparseable(text, "year 0000 is out of range");
  if (month < 1 || month > 12) {
    return Unparseable(text, absl::StrCat("month ", month, " is not 1 to 12"));
  }
  if (day < 1 || day > DaysInMonth(year, month)) {
    std::string month_name = kMonthNames[month - 1];
    month_name[0] = absl::ascii_toupper(month_name[0]);
    return Unparseable(text, absl::StrFormat("day %d does not exist in %s %04d (it has %d days)",
                                             day, month_name, year, DaysInMonth(year, month)));
  }
  return absl::StrFormat("%04d-%02d-%02d", year, month, day);
}

// Consumes a clock "H:MM[:SS[.f]]" at the front of `*s`; "" or what is wrong.
std::string ConsumeClock(absl::string_view* s) {
  size_t i = 0;
  auto digits = [&](size_t max) {
    size_t start = i;
    while (i < s->size() && i - start < max && absl::ascii_isdigit((*s)[i])) ++i;
    return s->substr(start, i - start);
  };
  absl::string_view hh = digits(2);
  if (hh.empty() || i >= s->size() || (*s)[i] != ':') return "expected a time H:MM[:SS]";
  ++i;
  absl::string_view mm = digits(2);
  if (mm.size() != 2) return "expected a time H:MM[:SS]";
  int sec = 0;
  if (i < s->size() && (*s)[i] == ':') {
    ++i;
    absl::string_view ss = digits(2);
    if (ss.size() != 2) return "expected seconds after the minutes";
    sec = SmallNumber(ss);
    if (i < s->size() && ((*s)[i] == '.' || (*s)[i] == ',')) {
      ++i;
      if (digits(9).empty()) return "expected digits after the decimal point of the seconds";
    }
  }
  if (SmallNumber(hh) > 23 || SmallNumber(mm) > 59 || sec > 60) {
    return absl::StrCat("time ", s->substr(0, i), " is out of range");
  }
  s->remove_prefix(i);
  return "";
}

// True iff `zone` is "Z", a zone abbreviation ("GMT", "CEST") or an offset
// "+HHMM", "+HH:MM" or "+HH".
bool IsZone(absl::string_view zone) {
  if (zone.empty()) return false;
  if (zone[0] == '+' || zone[0] == '-') {
    zone.remove_prefix(1);
    int hh = -1, mm = 0;
    if (zone.size() == 2) {
      hh = SmallNumber(zone);
    } else if (zone.size() == 4) {
      hh = SmallNumber(zone.substr(0, 2));
      mm = SmallNumber(zone.substr(2));
    } else if (zone.size() == 5 && zone[2] == ':') {
      hh = SmallNumber(zone.substr(0, 2));
      mm = SmallNumber(zone.substr(3));
    }
    return hh >= 0 && hh <= 23 && mm >= 0 && mm <= 59;
  }
  if (zone.size() > 5) return false;
  for (char c : zone) {
    if (!absl::ascii_isalpha(c)) return false;
  }
  return true;
}

// "T12:00:00Z", " 12:00", "" after an ISO date.
std::string CheckIsoTime(absl::string_view rest) {
  if (rest.empty()) return "";
  if (rest[0] != 'T' && rest[0] != 't' && rest[0] != ' ') {
    return absl::StrCat("unexpected ", Quote(rest, 16), " after the date");
  }
  rest.remove_prefix(1);
  rest = absl::StripLeadingAsciiWhitespace(rest);
  if (std::string err = ConsumeClock(&rest); !err.empty()) return err;
  absl::string_view zone = absl::StripLeadingAsciiWhitespace(rest);
  if (zone.empty() || IsZone(zone)) return "";
  return absl::StrCat("unexpected ", Quote(zone, 16), " after the time");
}

absl::StatusOr<std::string> ParseIso(absl::string_view text) {
  if (text.size() < 10 || text[4] != '-' || text[7] != '-' || !AllDigits(text.substr(5, 2)) ||
      !AllDigits(text.substr(8, 2))) {
    return Unparseable(text, "expected YYYY-MM-DD");
  }
  if (std::string err = CheckIsoTime(text.substr(10)); !err.empty()) {
    return Unparseable(text, err);
  }
  return CalendarDate(text, SmallNumber(text.substr(0, 4)), SmallNumber(text.substr(5, 2)),
                      SmallNumber(text.substr(8, 2)));
}

// Reuters-21578: D-MON-YYYY, then anything after whitespace.
absl::StatusOr<std::string> ParseReuters(absl::string_view text) {
  const size_t end = text.find_first_of(" \t");
  std::vector<absl::string_view> parts = absl::StrSplit(text.substr(0, end), '-');
  if (parts.size() != 3 || parts[0].size() > 2 || !AllDigits(parts[0])) {
    return Unparseable(text, "expected D-MON-YYYY");
  }
  const int month = MonthFromName(parts[1]);
  if (month == 0) {
    return Unparseable(text, absl::StrCat(Quote(parts[1], 16), " is not a month"));
  }
  if (parts[2].size() != 4 || !AllDigits(parts[2])) {
    return Unparseable(text, "the year must have four digits");
  }
  return CalendarDate(text, SmallNumber(parts[2]), month, SmallNumber(parts[0]));
}

// The day of "12", "1st", "22nd"; -1 if `word` is not one.
int DayNumber(absl::string_view word) {
  for (absl::string_view suffix : {"st", "nd", "rd", "th"}) {
    if (word.size() > 2 && absl::EndsWithIgnoreCase(word, suffix)) {
      word.remove_suffix(2);
      break;
    }
  }
  return word.size() <= 2 ? SmallNumber(word) : -1;
}

// RFC 2822 and prose: [weekday] (D Month | Month D) YYYY [time [zone]].
absl::StatusOr<std::string> ParseWords(absl::string_view text) {
  std::vector<absl::string_view> words =
      absl::StrSplit(text, absl::ByAnyChar(" \t,"), absl::SkipEmpty());
  size_t w = 0;
  if (w < words.size() && IsWeekday(words[w])) ++w;
  if (words.size() - w < 3) {
    return Unparseable(text,
                       "not a recognized date format (expected, e.g., 2024-05-01, 1-MAR-1987, "
                       "Tue, 12 Mar 2024 10:00:00 GMT or March 12, 2024)");
  }
  int day = DayNumber(words[w]);
  int month = 0;
  if (day >= 0) {
    month = MonthFromName(words[w + 1]);
    if (month == 0) {
      return Unparseable(text, absl::StrCat(Quote(words[w + 1], 16), " is not a month"));
    }
  } else {
    month = MonthFromName(words[w]);
    if (month == 0) {
      return Unparseable(text,
                         absl::StrCat(Quote(words[w], 16),
                                      " is neither a month nor a day (expected, e.g., "
                                      "March 12, 2024 or 12 March 2024)"));
    }
    day = DayNumber(words[w + 1]);
    if (day < 0) {
      return Unparseable(text, absl::StrCat(Quote(words[w + 1], 16), " is not a day"));
    }
  }
  absl::string_view year = words[w + 2];
  if (year.size() != 4 || !AllDigits(year)) {
    return Unparseable(text, "the year must have four digits");
  }
  w += 3;
  if (w < words.size() && words[w].find(':') != absl::string_view::npos) {
    absl::string_view clock = words[w];
    if (std::string err = ConsumeClock(&clock); !err.empty()) return Unparseable(text, err);
    if (!clock.empty() && !IsZone(clock)) {
      return Unparseable(text, absl::StrCat("unexpected ", Quote(clock, 16),
                                            " after the time"));
    }
    ++w;
    if (w < words.size() && (absl::EqualsIgnoreCase(words[w], "am") ||
                             absl::EqualsIgnoreCase(words[w], "pm"))) {
      const int hour = SmallNumber(words[w - 1].substr(0, words[w - 1].find(':')));
      if (hour < 1 || hour > 12) {
        return Unparseable(text, absl::StrCat("hour ", hour, " with ", words[w],
                                              " is not 1 to 12"));
      }
      ++w;
    }
    if (w < words.size() && IsZone(words[w])) ++w;
  }
  if (w < words.size()) {
    return Unparseable(text, absl::StrCat("unexpected ", Quote(words[w], 16),
                                          " after the date"));
  }
  return CalendarDate(text, SmallNumber(year), month, day);
}

}  // namespace

absl::StatusOr<std::string> ParseDate(absl::string_view text) {
  text = absl::StripAsciiWhitespace(text);
  if (text.empty()) return Unparseable(text, "empty");
  if (text.size() >= 5 && AllDigits(text.substr(0, 4)) && text[4] == '-') return ParseIso(text);
  const size_t first_sep = text.find_first_not_of("0123456789");
  if (first_sep != absl::string_view::npos && first_sep >= 1 && first_sep <= 2) {
    if (text[first_sep] == '-') return ParseReuters(text);
    if (text[first_sep] == '/' || text[first_sep] == '.') {
      return Unparseable(text,
                         "numeric dates such as 05/01/2024 are ambiguous (month or day first?); "
                         "use YYYY-MM-DD");
    }
  }
  return ParseWords(text);
}

}  // namespace kgraph::ingest
