package io.gossip4j.netty.transport;

import io.gossip4j.wire.CodecException;
import io.gossip4j.wire.WireCodec;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageDecoder;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns one length-delimited frame body into a {@link ControlFrame} or a protocol
 * {@link io.gossip4j.wire.Frame}. A body that does not decode closes this connection, with the
 * reason logged; nothing else is affected.
 */
final class InboundFrameDecoder extends MessageToMessageDecoder<ByteBuf> {
  private static final Logger log = LoggerFactory.getLogger(InboundFrameDecoder.class);

  private final int maxFrameSize;
  private final TransportMetrics metrics;
  private final PeerWarnings warnings;

  InboundFrameDecoder(int maxFrameSize, TransportMetrics metrics, PeerWarnings warnings) {
    super(ByteBuf.class);
    this.maxFrameSize = maxFrameSize;
    this.metrics = metrics;
    this.warnings = warnings;
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf body, List<Object> out) {
    if (!body.isReadable()) {
      reject(ctx, "empty frame");
      return;
    }
    int first = body.getUnsignedByte(body.readerIndex());
    int type = first & 0x0f;
    metrics.countIn(type, body.readableBytes());
    if (first >> 4 == WireCodec.VERSION && type >= WireCodec.FIRST_TRANSPORT_TYPE) {
      decodeControl(ctx, body, type, out);
      return;
    }
    try {
      out.add(WireCodec.decode(body.nioBuffer(), maxFrameSize));
    } catch (CodecException e) {
      reject(ctx, e.getMessage());
    }
  }

  private void decodeControl(ChannelHandlerContext ctx, ByteBuf body, int type, List<Object> out) {
    int length = body.readableBytes();
    if (type == ControlFrame.HELLO && length == 9) {
      out.add(new ControlFrame.Hello(body.getLong(body.readerIndex() + 1)));
    } else if (type == ControlFrame.CLOSE && length == 1) {
      out.add(new ControlFrame.Close());
    } else if (type == ControlFrame.HEARTBEAT && length == 1) {
      out.add(new ControlFrame.Heartbeat());
    } else {
      reject(ctx, "malformed transport frame of type " + type + " and " + length + " bytes");
    }
  }

  private void reject(ChannelHandlerContext ctx, String reason) {
    metrics.rejectedFrames.increment();
    warnings.warn(log, "{}: closing connection: bad frame: {}", ctx.channel(), reason);
    ctx.close();
  }
}
