/**
 * gossip4j on Netty: a node's {@link io.gossip4j.netty.Identity} and how to reach it, {@link
 * io.gossip4j.netty.NodeAddr}.
 */
package io.gossip4j.netty;
