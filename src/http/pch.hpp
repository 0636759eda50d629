// Precompiled header for the HTTP layer only (Beast and Asio are heavy).
#pragma once
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>
#include <boost/url.hpp>
#include <string>
#include <vector>
