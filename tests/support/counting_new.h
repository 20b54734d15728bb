// Counts calls of the global operator new, for tests that prove steady-state work allocates
// nothing. Linking counting_new.cpp replaces every form of operator new and delete in the test
// binary: give such tests a binary of their own.
#pragma once

#include <cstddef>

namespace pavilion::testing {

void count_allocations(bool on);
// Counts only the allocations made on the calling thread (a frame thread's, while a worker
// thread allocates freely beside it), until called with false.
void count_this_threads_allocations(bool on);
size_t counted_allocations();
void reset_counted_allocations();
// With PAVILION_ALLOCATION_BACKTRACES set, each counted allocation's backtrace is printed (stderr);
// this puts a line "after frame N" between them, so that a test's frames can be told apart.
void mark_frame_in_backtraces(size_t frame);

}  // namespace pavilion::testing
