#define _GNU_SOURCE
#include "CFixstreamNet.h"
