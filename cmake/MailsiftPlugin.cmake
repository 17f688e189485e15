# mailsift_add_plugin(<target> VERSION <x.y.z> SOURCES <files...> [LIBRARIES <libs...>] [OUTPUT_DIR <dir>])
# Builds one validator stage or source connector as a MODULE library that the plugin host can load:
# hidden visibility (only the descriptor symbol is exported), linked against the SDK, placed in the
# build tree's plugin folder and installed beside the server.
set(MAILSIFT_PLUGIN_OUTPUT_DIR "${CMAKE_BINARY_DIR}/lib/mailsift/plugins")
set(MAILSIFT_PLUGIN_INSTALL_DIR "lib/mailsift/plugins")

function(mailsift_add_plugin target)
    cmake_parse_arguments(P "" "VERSION;OUTPUT_DIR" "SOURCES;LIBRARIES" ${ARGN})
    if(NOT P_VERSION OR NOT P_SOURCES)
        message(FATAL_ERROR "mailsift_add_plugin(${target}) needs VERSION and SOURCES")
    endif()
    add_library(${target} MODULE ${P_SOURCES})
    if(NOT P_OUTPUT_DIR)
        # Real plugins go to the shared folder and are installed; test plugins name their own folder.
        set(P_OUTPUT_DIR "${MAILSIFT_PLUGIN_OUTPUT_DIR}")
        install(TARGETS ${target} LIBRARY DESTINATION ${MAILSIFT_PLUGIN_INSTALL_DIR})
    endif()
    target_link_libraries(${target} PRIVATE mailsift::sdk ${P_LIBRARIES})
    target_compile_definitions(${target} PRIVATE MAILSIFT_PLUGIN_VERSION="${P_VERSION}")
    set_target_properties(${target} PROPERTIES
        PREFIX "" OUTPUT_NAME "${target}"
        CXX_VISIBILITY_PRESET hidden VISIBILITY_INLINES_HIDDEN ON
        LIBRARY_OUTPUT_DIRECTORY "${P_OUTPUT_DIR}")
    # Plugins must not leave symbols unresolved: a missing one would only show at dlopen time.
    # (Sanitizer runtimes live in the executable, so the check is skipped under sanitizers.)
    if(NOT MAILSIFT_SANITIZE)
        target_link_options(${target} PRIVATE -Wl,--no-undefined)
    endif()
    mailsift_warnings(${target})
endfunction()
