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

# Precompiled headers: the Qt and standard headers most files of a layer include, parsed once per
# target instead of once per file (a cold build on 2 cores is most of CI's time). A header listed
# here only adds declarations; every file still includes what it uses.
set(INTERLEAVE_PCH_CORE
    <algorithm> <atomic> <chrono> <cmath> <cstdint> <cstring> <deque> <functional> <map> <memory>
    <mutex> <optional> <string> <string_view> <unordered_map> <utility> <vector>
    <QByteArray> <QHash> <QJsonArray> <QJsonDocument> <QJsonObject> <QList> <QObject> <QString>
    <QStringList>)
set(INTERLEAVE_PCH_GUI ${INTERLEAVE_PCH_CORE} <QColor> <QFont> <QImage> <QPainter>)
set(INTERLEAVE_PCH_WIDGETS ${INTERLEAVE_PCH_GUI}
    <QLabel> <QVBoxLayout> <QHBoxLayout> <QWidget> <QAction> <QMainWindow> <QSplitter> <QChart>)

# interleave_precompile(TARGET CORE|GUI|WIDGETS)
option(INTERLEAVE_NO_PCH "Build without precompiled headers" OFF)
function(interleave_precompile target level)
    if(INTERLEAVE_NO_PCH)
        return()
    endif()
    target_precompile_headers(${target} PRIVATE ${INTERLEAVE_PCH_${level}})
endfunction()

# interleave_test_pch(widgets|models): the target whose precompiled header the tests of that kind
# reuse (created on first use, in the tests' folder so Qt's test macros match theirs).
function(interleave_test_pch kind)
    set(pch interleave_test_pch_${kind})
    if(TARGET ${pch})
        return()
    endif()
    set(source ${CMAKE_CURRENT_BINARY_DIR}/${pch}.cpp)
    file(CONFIGURE OUTPUT ${source} CONTENT "// The precompiled header of the ${kind} tests.\n")
    add_library(${pch} OBJECT ${source})
    if(kind STREQUAL "widgets")
        target_link_libraries(${pch} PRIVATE Qt6::Test interleave_options interleave_app)
        target_precompile_headers(${pch} PRIVATE ${INTERLEAVE_PCH_WIDGETS} <QTest> <QSignalSpy>)
    else()
        target_link_libraries(${pch} PRIVATE Qt6::Test interleave_options interleave_models)
        target_precompile_headers(${pch} PRIVATE ${INTERLEAVE_PCH_GUI} <QTest> <QSignalSpy>)
    endif()
endfunction()

# interleave_add_test(NAME <source-stem> LIBS <libs...> [GUI] [ARGS <arguments...>])
# Builds tests/<name>.cpp into one Qt Test executable and registers it with CTest,
# run on the offscreen platform (with ARGS, e.g. the test functions to run).
function(interleave_add_test name)
    cmake_parse_arguments(ARG "GUI" "" "LIBS;ARGS" ${ARGN})
    add_executable(${name} ${name}.cpp)
    target_link_libraries(${name} PRIVATE Qt6::Test interleave_options ${ARG_LIBS})
    # One precompiled header per kind of test (the macros Qt's headers test, such as QT_WIDGETS_LIB,
    # must match): built once, used by every test of that kind.
    set(kind "")
    if("interleave_app" IN_LIST ARG_LIBS OR "interleave_widgets" IN_LIST ARG_LIBS)
        set(kind widgets)
    elseif("interleave_models" IN_LIST ARG_LIBS)
        set(kind models)
    endif()
    if(NOT kind STREQUAL "" AND NOT INTERLEAVE_NO_PCH)
        interleave_test_pch(${kind})
        target_precompile_headers(${name} REUSE_FROM interleave_test_pch_${kind})
        # A test includes its own moc output: the generated file AUTOMOC adds is empty, and
        # loading the header would cost more than compiling it.
        set_source_files_properties(${CMAKE_CURRENT_BINARY_DIR}/${name}_autogen/mocs_compilation.cpp
                                    TARGET_DIRECTORY ${name} PROPERTIES SKIP_PRECOMPILE_HEADERS ON)
    endif()
    add_test(NAME ${name} COMMAND ${name} ${ARG_ARGS})
    set_tests_properties(${name} PROPERTIES
        ENVIRONMENT "QT_QPA_PLATFORM=offscreen"
        TIMEOUT 300)
endfunction()
