# Finds every third-party library once, as imported targets. All come from Debian packages.
find_package(Poco REQUIRED COMPONENTS Foundation Net NetSSL Util JSON Data DataSQLite Zip XML Crypto)
find_package(OpenSSL REQUIRED)
find_package(yaml-cpp REQUIRED)          # target: yaml-cpp (0.7 has no namespaced target)
find_package(Threads REQUIRED)
find_package(PkgConfig REQUIRED)
pkg_check_modules(CARES REQUIRED IMPORTED_TARGET libcares)
pkg_check_modules(IDN2 REQUIRED IMPORTED_TARGET libidn2)

# MySQL Connector/C++ 1.1 ships neither a CMake config nor a pkg-config file.
find_path(MYSQLCPPCONN_INCLUDE_DIR mysql_driver.h REQUIRED)
find_library(MYSQLCPPCONN_LIBRARY mysqlcppconn REQUIRED)
find_package(Boost REQUIRED)             # header-only; the Connector/C++ headers include boost
if(NOT TARGET mysqlcppconn::mysqlcppconn)
    add_library(mysqlcppconn::mysqlcppconn UNKNOWN IMPORTED)
    set_target_properties(mysqlcppconn::mysqlcppconn PROPERTIES
        IMPORTED_LOCATION "${MYSQLCPPCONN_LIBRARY}"
        INTERFACE_INCLUDE_DIRECTORIES "${MYSQLCPPCONN_INCLUDE_DIR}")
    target_link_libraries(mysqlcppconn::mysqlcppconn INTERFACE Boost::headers)
endif()

if(MAILSIFT_BUILD_TESTS)
    find_package(GTest REQUIRED)
    include(GoogleTest)
endif()
