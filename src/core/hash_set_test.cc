#include "core/hash_set.h"

#include <random>
#include <unordered_set>

#include <gtest/gtest.h>

namespace lg {
namespace {

TEST(HashKeySet, InsertSaysWhetherTheKeyIsNew) {
  HashKeySet s;
  EXPECT_FALSE(s.Contains(7));
  EXPECT_TRUE(s.Insert(7));
  EXPECT_FALSE(s.Insert(7));
  EXPECT_TRUE(s.Contains(7));
  EXPECT_EQ(s.size(), 1u);
}

TEST(HashKeySet, ZeroIsAKeyLikeAnyOther) {  // (0 marks empty slots inside)
  HashKeySet s;
  EXPECT_FALSE(s.Contains(0));
  EXPECT_TRUE(s.Insert(0));
  EXPECT_FALSE(s.Insert(0));
  EXPECT_TRUE(s.Contains(0));
  for (uint64_t k = 1; k < 5000; ++k) s.Insert(k << 20);  // grows several times, keeping 0
  EXPECT_TRUE(s.Contains(0));
  EXPECT_EQ(s.size(), 5000u);
}

// Against a reference set: random keys with repeats, keys that share their
// low bits (one probe run), through many growths.
TEST(HashKeySet, AgreesWithAReferenceSetThroughGrowth) {
  std::mt19937_64 rng(42);
  HashKeySet s;
  std::unordered_set<uint64_t> ref;
  std::vector<uint64_t> keys;
  for (int i = 0; i < 200000; ++i) {
    uint64_t k = rng();
    if (i % 3 == 0 && !keys.empty()) k = keys[rng() % keys.size()];  // a repeat
    if (i % 7 == 0) k = (rng() % 64) << 40;                           // low bits all 0
    keys.push_back(k);
    ASSERT_EQ(s.Insert(k), ref.insert(k).second) << i;
  }
  EXPECT_EQ(s.size(), ref.size());
  for (int i = 0; i < 1000; ++i) {
    const uint64_t k = rng();
    EXPECT_EQ(s.Contains(k), ref.contains(k));
    EXPECT_TRUE(s.Contains(keys[rng() % keys.size()]));
  }
}

}  // namespace
}  // namespace lg
