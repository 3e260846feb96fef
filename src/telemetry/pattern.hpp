#pragma once
/// The pattern every telemetry `string` field declares (telemetry.md §1: free text is how
/// personal data slips into telemetry). A small regular-expression subset, compiled when the
/// constexpr catalog is built into a Thompson NFA, and run as a Pike VM: time linear in the input
/// whatever the pattern, no allocation, and no std::regex on the ingestion path. The syntax
/// (docs/telemetry.md "String patterns"):
///
///   ^…$          required: a pattern always describes the whole value
///   a \. \-      a printable ASCII character; `\` makes a metacharacter (or `-`) literal
///   [a-z0-9_-]   a class of characters and ranges (a `-` first or last is literal); no negation
///   ( | )        groups and alternatives
///   ? * + {n} {n,m} {n,}   repetition of the atom before
///
/// There is no `.` wildcard and no negated class: a pattern lists what it allows. Only ASCII can
/// match, so any other byte (and every control character) fails a pattern.

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace ferr::telemetry {

/// A compiled pattern, with an example value the catalog's build-time checks match against it.
class Pattern {
 public:
  /// Largest compiled program; a pattern that needs more is invalid (`error()` says so).
  static constexpr std::size_t kMaxOps = 192;

  /// Compiles `source`; an invalid one leaves `error()` non-empty and matches nothing.
  /// A swapped pair does not build: catalog.hpp asserts that each pattern matches its example.
  // NOLINTNEXTLINE(bugprone-easily-swappable-parameters)
  constexpr Pattern(std::string_view source, std::string_view example)
      : source_(source), example_(example) {
    Compiler(*this).run();
  }

  /// The pattern as written, e.g. `^[a-z]{2}$`.
  constexpr std::string_view source() const { return source_; }
  /// A value the pattern matches, shown on the page and checked at build time.
  constexpr std::string_view example() const { return example_; }
  /// Why the source is not a valid pattern; empty when it is.
  constexpr std::string_view error() const { return error_; }
  /// Whether the source compiled.
  constexpr bool valid() const { return error_.empty(); }

  /// Whether the whole of `text` matches.
  constexpr bool matches(std::string_view text) const {
    if (!valid()) return false;
    std::array<std::uint16_t, kMaxOps> lists[2]{};
    std::size_t counts[2] = {0, 0};
    std::array<std::uint32_t, kMaxOps> seen{};  // the step that last added each op
    // Each op is expanded once per step and a fork leaves one entry behind: kMaxOps would do;
    // twice that leaves no doubt.
    std::array<std::uint16_t, 2 * kMaxOps> stack{};
    std::uint32_t step = 1;
    // Adds `pc` and everything reachable from it without reading a character.
    auto add = [&](int list, std::uint16_t pc) {
      std::size_t depth = 0;
      stack[depth++] = pc;
      while (depth > 0) {
        std::uint16_t at = stack[--depth];
        if (seen[at] == step) continue;
        seen[at] = step;
        const Op& op = ops_[at];
        if (op.kind == Op::jump) {
          stack[depth++] = op.x;
        } else if (op.kind == Op::split) {
          stack[depth++] = op.y;
          stack[depth++] = op.x;
        } else {
          lists[list][counts[list]++] = at;
        }
      }
    };
    int current = 0;
    add(current, 0);
    for (char c : text) {
      auto byte = static_cast<unsigned char>(c);
      if (byte >= 128) return false;
      ++step;
      const int next = 1 - current;
      counts[next] = 0;
      for (std::size_t i = 0; i < counts[current]; ++i) {
        const Op& op = ops_[lists[current][i]];
        if (op.kind == Op::klass && op.has(byte))
          add(next, static_cast<std::uint16_t>(lists[current][i] + 1));
      }
      current = next;
      if (counts[current] == 0) return false;
    }
    for (std::size_t i = 0; i < counts[current]; ++i)
      if (ops_[lists[current][i]].kind == Op::match) return true;
    return false;
  }

 private:
  // One instruction: read one character of a class, fork, jump, or accept.
  struct Op {
    enum Kind : std::uint8_t { klass, split, jump, match };
    Kind kind = match;
    std::uint16_t x = 0;             // split: first target; jump: the target
    std::uint16_t y = 0;             // split: second target
    std::uint64_t bits[2] = {0, 0};  // klass: the ASCII characters it reads
    constexpr bool has(unsigned char c) const { return (bits[c / 64] >> (c % 64)) & 1U; }
    constexpr void add(unsigned char c) { bits[c / 64] |= std::uint64_t{1} << (c % 64); }
  };

  // Parses the source into a small tree, then emits the program from it: repetition copies a
  // sub-tree's code, which is simplest from a tree.
  class Compiler {
   public:
    constexpr explicit Compiler(Pattern& out) : out_(out), text_(out.source_) {}

    constexpr void run() {
      if (text_.size() < 2 || text_.front() != '^' || text_.back() != '$')
        return fail("a pattern must start with ^ and end with $");
      pos_ = 1;
      end_ = text_.size() - 1;
      int root = parse_alternatives();
      if (!ok()) return;
      if (pos_ != end_) return fail(text_[pos_] == ')' ? "unbalanced )" : "unexpected character");
      emit(root);
      push({Op::match});
    }

   private:
    struct Node {
      enum Kind : std::uint8_t { klass, sequence, choice, repeat };
      Kind kind = sequence;
      Op op{};         // klass: the class
      int first = -1;  // sequence, choice: first child
      int last = -1;   // sequence, choice: last child
      int next = -1;   // the following sibling
      int child = -1;  // repeat: what repeats
      int min = 0;     // repeat: least count
      int max = 0;     // repeat: most count, -1 for no limit
    };
    static constexpr std::size_t kMaxNodes = 96;
    static constexpr int kMaxCount = 64;  // largest n or m in {n,m}

    constexpr bool ok() const { return out_.error_.empty(); }
    constexpr void fail(std::string_view why) {
      if (ok()) out_.error_ = why;
    }
    // Records `why` and gives back `result`, which the caller returns: it is never used, as
    // nothing is emitted once the pattern has an error.
    constexpr int failed(std::string_view why, int result) {
      fail(why);
      return result;
    }
    constexpr bool more() const { return pos_ < end_; }
    constexpr char peek() const { return text_[pos_]; }

    constexpr int node(Node::Kind kind) {
      if (count_ == kMaxNodes) {
        fail("the pattern is too long");
        return 0;
      }
      nodes_[count_].kind = kind;
      return static_cast<int>(count_++);
    }
    // Parent first, as in the tree.
    // NOLINTNEXTLINE(bugprone-easily-swappable-parameters)
    constexpr void append(int parent, int child) {
      Node& p = nodes_[static_cast<std::size_t>(parent)];
      if (p.first < 0)
        p.first = child;
      else
        nodes_[static_cast<std::size_t>(p.last)].next = child;
      p.last = child;
    }

    static constexpr bool is_meta(char c) {
      return std::string_view("^$.|?*+()[]{}\\").find(c) != std::string_view::npos;
    }
    static constexpr bool is_printable(char c) { return c >= 0x20 && c < 0x7f; }

    constexpr int parse_alternatives() {
      int first = parse_sequence();
      if (!ok() || !more() || peek() != '|') return first;
      int choice = node(Node::choice);
      append(choice, first);
      while (ok() && more() && peek() == '|') {
        ++pos_;
        append(choice, parse_sequence());
      }
      return choice;
    }

    constexpr int parse_sequence() {
      int sequence = node(Node::sequence);
      while (ok() && more() && peek() != '|' && peek() != ')') append(sequence, parse_repeat());
      return sequence;
    }

    constexpr int parse_number() {
      int n = -1;
      while (more() && peek() >= '0' && peek() <= '9') {
        n = (n < 0 ? 0 : n * 10) + (peek() - '0');
        if (n > kMaxCount) {
          fail("a repetition count is over 64");
          return -1;
        }
        ++pos_;
      }
      return n;
    }

    constexpr int parse_repeat() {
      int atom = parse_atom();
      if (!ok() || !more()) return atom;
      int min = 0;
      int max = 0;
      char c = peek();
      if (c == '?') {
        min = 0, max = 1;
      } else if (c == '*') {
        min = 0, max = -1;
      } else if (c == '+') {
        min = 1, max = -1;
      } else if (c == '{') {
        ++pos_;
        min = parse_number();
        max = min;
        if (more() && peek() == ',') {
          ++pos_;
          max = more() && peek() == '}' ? -1 : parse_number();
          if (ok() && max == -1 && (!more() || peek() != '}'))
            return failed("malformed {n,m}", atom);
        }
        if (!ok()) return atom;
        if (min < 0 || !more() || peek() != '}') return failed("malformed {n,m}", atom);
        if (max >= 0 && max < min) return failed("{n,m} with m below n", atom);
      } else {
        return atom;
      }
      ++pos_;
      if (more() && std::string_view("?*+{").find(peek()) != std::string_view::npos)
        return failed("two repetitions in a row", atom);
      int repeat = node(Node::repeat);
      Node& r = nodes_[static_cast<std::size_t>(repeat)];
      r.child = atom;
      r.min = min;
      r.max = max;
      return repeat;
    }

    // One character of a class or of a literal: printable, `\` escaping a metacharacter or `-`.
    constexpr int parse_char(bool in_class) {
      char c = peek();
      if (c == '\\') {
        ++pos_;
        if (!more()) return failed("a \\ at the end", -1);
        c = peek();
        if (!is_meta(c) && c != '-')
          return failed("\\ before a character that needs no escape", -1);
      } else if (!is_printable(c)) {
        return failed("only printable ASCII characters", -1);
      } else if (in_class ? (c == '[' || c == ']') : is_meta(c)) {
        return failed("an unescaped metacharacter", -1);
      }
      ++pos_;
      return static_cast<unsigned char>(c);
    }

    constexpr int parse_class() {
      int klass = node(Node::klass);
      Op& op = nodes_[static_cast<std::size_t>(klass)].op;
      if (more() && peek() == '^') return failed("negated classes are not supported", klass);
      bool empty = true;
      while (ok() && more() && peek() != ']') {
        int low = parse_char(true);
        if (!ok()) return klass;
        int high = low;
        // `a-z`, unless the `-` is the last character of the class.
        if (more() && peek() == '-' && pos_ + 1 < end_ && text_[pos_ + 1] != ']') {
          ++pos_;
          high = parse_char(true);
          if (!ok()) return klass;
          if (high < low) return failed("a range whose end comes before its start", klass);
        }
        for (int c = low; c <= high; ++c) op.add(static_cast<unsigned char>(c));
        empty = false;
      }
      if (!more()) return failed("unclosed [", klass);
      if (empty) return failed("an empty class", klass);
      ++pos_;  // ]
      return klass;
    }

    constexpr int parse_atom() {
      char c = peek();
      if (c == '(') {
        ++pos_;
        int inner = parse_alternatives();
        if (!ok()) return inner;
        if (!more() || peek() != ')') return failed("unclosed (", inner);
        ++pos_;
        return inner;
      }
      if (c == '[') {
        ++pos_;
        return parse_class();
      }
      if (c == '.') return failed("no . wildcard: list the characters allowed", 0);
      if (c == '^' || c == '$') return failed("^ and $ only at the ends", 0);
      if (c == '?' || c == '*' || c == '+' || c == '{') return failed("a repetition of nothing", 0);
      int literal = node(Node::klass);
      int ch = parse_char(false);
      if (ok()) nodes_[static_cast<std::size_t>(literal)].op.add(static_cast<unsigned char>(ch));
      return literal;
    }

    constexpr std::uint16_t here() const { return static_cast<std::uint16_t>(out_.size_); }
    constexpr std::size_t push(Op op) {
      if (out_.size_ == kMaxOps) {
        fail("the pattern compiles to too many states");
        return kMaxOps - 1;  // overwritten harmlessly: the pattern is invalid anyway
      }
      out_.ops_[out_.size_] = op;
      return out_.size_++;
    }

    constexpr void emit(int index) {
      if (!ok()) return;
      const Node& n = nodes_[static_cast<std::size_t>(index)];
      switch (n.kind) {
        case Node::klass: {
          Op op = n.op;
          op.kind = Op::klass;
          push(op);
          return;
        }
        case Node::sequence:
          for (int c = n.first; c >= 0; c = nodes_[static_cast<std::size_t>(c)].next) emit(c);
          return;
        case Node::choice: {
          // split(this, next) this… jump(end); the last alternative falls through to the end.
          std::array<std::size_t, kMaxNodes> jumps{};
          std::size_t count = 0;
          for (int c = n.first; c >= 0; c = nodes_[static_cast<std::size_t>(c)].next) {
            int after = nodes_[static_cast<std::size_t>(c)].next;
            if (after < 0) {
              emit(c);
              break;
            }
            std::size_t split = push({Op::split});
            out_.ops_[split].x = here();
            emit(c);
            jumps[count++] = push({Op::jump});
            out_.ops_[split].y = here();
          }
          for (std::size_t i = 0; i < count; ++i) out_.ops_[jumps[i]].x = here();
          return;
        }
        case Node::repeat: {
          for (int i = 0; i < n.min; ++i) emit(n.child);
          if (n.max < 0) {  // loop: split(body, out) body jump(split)
            std::size_t split = push({Op::split});
            out_.ops_[split].x = here();
            emit(n.child);
            Op back{Op::jump};
            back.x = static_cast<std::uint16_t>(split);
            push(back);
            out_.ops_[split].y = here();
            return;
          }
          // Optional copies: split(body, out) body, each skipping to the very end.
          std::array<std::size_t, kMaxCount> splits{};
          std::size_t count = 0;
          for (int i = n.min; i < n.max; ++i) {
            splits[count] = push({Op::split});
            out_.ops_[splits[count]].x = here();
            ++count;
            emit(n.child);
          }
          for (std::size_t i = 0; i < count; ++i) out_.ops_[splits[i]].y = here();
          return;
        }
      }
    }

    Pattern& out_;
    std::string_view text_;
    std::size_t pos_ = 0;
    std::size_t end_ = 0;
    std::array<Node, kMaxNodes> nodes_{};
    std::size_t count_ = 0;
  };

  std::string_view source_;
  std::string_view example_;
  std::string_view error_;
  std::array<Op, kMaxOps> ops_{};
  std::size_t size_ = 0;
};

}  // namespace ferr::telemetry
