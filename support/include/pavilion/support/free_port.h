// A loopback port for a server a test or benchmark starts as another program (PostgreSQL,
// nginx), which must be told its port before it listens.
#pragma once

#include <cstdint>

namespace pavilion::support {

// A TCP port on 127.0.0.1 that nobody listens on right now (the kernel's pick for port 0); 0 when
// no socket could be bound. Another program may take it before the caller's server does.
uint16_t free_loopback_port();

}  // namespace pavilion::support
