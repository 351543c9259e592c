# Shared compile settings and the one-line test registration helper.

add_library(interleave_options INTERFACE)
target_compile_options(interleave_options INTERFACE -Wall -Wextra -Wpedantic)
if(INTERLEAVE_WERROR)
    target_compile_options(interleave_options INTERFACE -Werror)
endif()
target_compile_definitions(interleave_options INTERFACE
    QT_NO_CAST_FROM_ASCII
    QT_USE_QSTRINGBUILDER
    QT_DISABLE_DEPRECATED_BEFORE=0x060400
    QT_NO_KEYWORDS)

if(NOT INTERLEAVE_SANITIZE STREQUAL "")
    # Tests skip timing claims (speedups) that a sanitizer's slowdown makes meaningless.
    target_compile_definitions(interleave_options INTERFACE INTERLEAVE_SANITIZED)
endif()
if(INTERLEAVE_SANITIZE STREQUAL "address")
    target_compile_options(interleave_options INTERFACE
        -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
    target_link_options(interleave_options INTERFACE -fsanitize=address,undefined)
elseif(INTERLEAVE_SANITIZE STREQUAL "thread")
    target_compile_options(interleave_options INTERFACE -fsanitize=thread -fno-omit-frame-pointer)
    target_link_options(interleave_options INTERFACE -fsanitize=thread)
elseif(NOT INTERLEAVE_SANITIZE STREQUAL "")
    message(FATAL_ERROR "INTERLEAVE_SANITIZE must be empty, 'address' or 'thread'")
endif()

# interleave_add_test(NAME <source-stem> LIBS <libs...> [GUI])
# Builds tests/<name>.cpp into one Qt Test executable and registers it with CTest,
# run on the offscreen platform.
function(interleave_add_test name)
    cmake_parse_arguments(ARG "GUI" "" "LIBS" ${ARGN})
    add_executable(${name} ${name}.cpp)
    target_link_libraries(${name} PRIVATE Qt6::Test interleave_options ${ARG_LIBS})
    add_test(NAME ${name} COMMAND ${name})
    set_tests_properties(${name} PROPERTIES
        ENVIRONMENT "QT_QPA_PLATFORM=offscreen"
        TIMEOUT 300)
endfunction()
