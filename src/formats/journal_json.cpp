#include "formats/journal_json.hpp"
