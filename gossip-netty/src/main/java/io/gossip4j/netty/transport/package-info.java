/** Internal: the choice between native epoll and NIO. Not exported by the module. */
package io.gossip4j.netty.transport;
