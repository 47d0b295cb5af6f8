// The `<*>` form of a template, as log-parsing benchmarks score it.
#ifndef LOG_GARDENER_MINE_TEMPLATE_TEXT_H_
#define LOG_GARDENER_MINE_TEMPLATE_TEXT_H_

#include <string>
#include <string_view>

namespace lg {

// Maps every typed placeholder (<NUM>, <IP>, ...) to `<*>` and applies the
// Loghub-2.0 annotation conventions (Khan et al., ICSE 2022; Jiang et al.,
// ISSTA 2024) so a template reads the way the benchmark's ground truth does:
//  - a word glued to a variable is a variable: `blk_<*>` → `<*>` (words end
//    at whitespace and , ! ; : = | " ' [ ] ( ) { } . - + @ # $ % & /);
//  - variables joined by '.' or by nothing are one: `<*>.<*>` → `<*>`.
// Whitespace runs become one space.
std::string WildcardTemplate(std::string_view typed);

}  // namespace lg

#endif  // LOG_GARDENER_MINE_TEMPLATE_TEXT_H_
