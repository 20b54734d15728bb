# Compiler settings shared by every Pavilion target.

if(PAVILION_SANITIZE OR PAVILION_FUZZ)
  # Applied globally so that every object file, tests and tools included, is instrumented.
  # -fno-sanitize-recover turns each UBSan finding into a failing test instead of a log line.
  # With PAVILION_FUZZ (clang) the same objects also carry libFuzzer's coverage, so one build
  # serves both the sanitizer test suite and the fuzzers: CI compiles the code twice, not three
  # times. -O1, as the sanitizers' authors advise, keeps the instrumented tests and the fuzzers
  # fast while the debug information still names every line.
  set(pavilion_sanitizers address,undefined)
  if(PAVILION_FUZZ)
    set(pavilion_sanitizers fuzzer-no-link,${pavilion_sanitizers})
  endif()
  add_compile_options(-fsanitize=${pavilion_sanitizers} -fno-sanitize-recover=all -fno-omit-frame-pointer -O1)
  add_link_options(-fsanitize=address,undefined)
  # The sanitizers' reports need file, line and function, which line tables alone give: full
  # debug information doubled the objects and cost a tenth of the compile time.
  if(CMAKE_CXX_COMPILER_ID MATCHES "Clang")
    add_compile_options(-gline-tables-only)
  endif()
endif()

# pavilion_sanitized_unoptimized(<target>): under the sanitizers, compiles <target> at -O0 (the
# last -O wins). For code whose tests spend their time elsewhere (on the network, in Chromium):
# Boost.Asio's coroutines in the hub and the HTTP client, which clang takes two and a half times
# as long to compile at -O1 (106 s against 42 s for the hub's server). The engine's hot code
# stays at -O1.
function(pavilion_sanitized_unoptimized target)
  if(PAVILION_SANITIZE OR PAVILION_FUZZ)
    target_compile_options(${target} PRIVATE -O0)
  endif()
endfunction()

# LLVM's linker links a sanitizer build's test programs (hundreds of megabytes of debug
# information each) three to four times faster than GNU ld: minutes of CI time.
find_program(PAVILION_LLD ld.lld)
if(PAVILION_LLD)
  add_link_options(-fuse-ld=lld)
endif()

# pavilion_target_defaults(<target>): warnings (errors in CI) for code we write.
function(pavilion_target_defaults target)
  target_compile_options(${target} PRIVATE
    -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wcast-align -Woverloaded-virtual
    -Wnull-dereference -Wimplicit-fallthrough -Wmissing-declarations
    # `VkFooInfo info{VK_STRUCTURE_TYPE_FOO_INFO};` zero-fills the rest on purpose: the idiom of
    # all Vulkan and OpenXR code.
    -Wno-missing-field-initializers)
  if(PAVILION_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()

# pavilion_unity_build(<target>): compiles the target's sources eight to a unit, for libraries
# whose sources share heavy headers. Names at a source's file scope (anonymous namespaces
# included) must then differ across the target's sources.
function(pavilion_unity_build target)
  set_target_properties(${target} PROPERTIES UNITY_BUILD ON UNITY_BUILD_BATCH_SIZE 8)
endfunction()
