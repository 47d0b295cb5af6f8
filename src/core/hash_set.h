// HashKeySet: a set of 64-bit hashes (uniformly distributed keys), one array
// of keys probed linearly. Made for the collector's duplicate check, which
// inserts every in-scope entry of a run (millions) into a set far larger
// than the caches: a general set keeps control bytes and slots apart, two
// cache misses per insert; here the key is its own slot marker, one miss.
#ifndef LOG_GARDENER_CORE_HASH_SET_H_
#define LOG_GARDENER_CORE_HASH_SET_H_

#include <cstddef>
#include <cstdint>
#include <memory>

namespace lg {

class HashKeySet {
 public:
  // Adds `key`; false when it was there already.
  bool Insert(uint64_t key) {
    if (key == 0) {  // 0 marks an empty slot, so it is kept aside
      const bool added = !has_zero_;
      has_zero_ = true;
      size_ += added;
      return added;
    }
    if ((size_ + 1) * 4 > capacity_ * 3) Grow();  // load at most 3/4
    return Place(key);
  }
  bool Contains(uint64_t key) const {
    if (key == 0) return has_zero_;
    if (capacity_ == 0) return false;
    for (size_t i = key & mask_;; i = (i + 1) & mask_) {
      if (slots_[i] == key) return true;
      if (slots_[i] == 0) return false;
    }
  }
  // Brings the slot `key` would be looked up in towards the cache.
  void Prefetch(uint64_t key) const {
    if (capacity_ != 0) __builtin_prefetch(&slots_[key & mask_], 1);
  }
  size_t size() const { return size_; }

 private:
  bool Place(uint64_t key) {
    for (size_t i = key & mask_;; i = (i + 1) & mask_) {
      if (slots_[i] == key) return false;
      if (slots_[i] == 0) {
        slots_[i] = key;
        ++size_;
        return true;
      }
    }
  }
  void Grow() {
    const size_t old_capacity = capacity_;
    std::unique_ptr<uint64_t[]> old = std::move(slots_);
    capacity_ = capacity_ == 0 ? 1024 : 2 * capacity_;
    mask_ = capacity_ - 1;
    slots_ = std::make_unique<uint64_t[]>(capacity_);  // zeroed: all empty
    size_ = has_zero_ ? 1 : 0;
    for (size_t i = 0; i < old_capacity; ++i) {
      if (old[i] != 0) Place(old[i]);
    }
  }

  std::unique_ptr<uint64_t[]> slots_;
  size_t capacity_ = 0, mask_ = 0, size_ = 0;
  bool has_zero_ = false;
};

}  // namespace lg

#endif  // LOG_GARDENER_CORE_HASH_SET_H_
