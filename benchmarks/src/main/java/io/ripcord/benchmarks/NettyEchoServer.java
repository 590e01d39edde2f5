package io.ripcord.benchmarks;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.ssl.SslHandler;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;

/**
 * Netty's echo server, made to behave as Ripcord's: raw bytes back as they came (write each buffer, flush
 * once per read burst), TCP_NODELAY, reading paused while the peer does not drain, and one group of
 * {@code threads} event loops doing both the accepting and the I/O (Ripcord's listener is a slot on one of its
 * pollers too).
 */
final class NettyEchoServer implements AutoCloseable {

    /** How Netty does I/O. */
    enum Kind { NIO, EPOLL }

    private final EventLoopGroup group;
    private final Channel channel;

    private NettyEchoServer(EventLoopGroup group, Channel channel) {
        this.group = group;
        this.channel = channel;
    }

    static NettyEchoServer start(String host, int port, Kind kind, int threads) throws InterruptedException {
        return start(host, port, kind, threads, null);
    }

    /**
     * @param tls a server context, or {@code null} for plain TCP. With it every connection gets Netty's
     *            {@link SslHandler} over an engine of that JDK context: the same TLS implementation (the JDK's
     *            {@code SSLEngine}) as Ripcord's, so the comparison is of the two frameworks around it.
     */
    static NettyEchoServer start(String host, int port, Kind kind, int threads, SSLContext tls)
            throws InterruptedException {
        IoHandlerFactory io;
        Class<? extends ServerChannel> type;
        if (kind == Kind.EPOLL) {
            if (!Epoll.isAvailable()) {
                throw new IllegalStateException("Netty epoll is not available: " + Epoll.unavailabilityCause());
            }
            io = EpollIoHandler.newFactory();
            type = EpollServerSocketChannel.class;
        } else {
            io = NioIoHandler.newFactory();
            type = NioServerSocketChannel.class;
        }
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(threads, io);
        try {
            Channel ch = new ServerBootstrap()
                    .group(group)
                    .channel(type)
                    .option(ChannelOption.SO_BACKLOG, 1024)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(tls == null ? new Echo() : new ChannelInitializer<Channel>() {
                        @Override
                        protected void initChannel(Channel ch) {
                            SSLEngine engine = tls.createSSLEngine();
                            engine.setUseClientMode(false);
                            ch.pipeline().addLast(new SslHandler(engine), new Echo());
                        }
                    })
                    .bind(new InetSocketAddress(host, port)).sync().channel();
            return new NettyEchoServer(group, ch);
        } catch (InterruptedException | RuntimeException e) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw e;
        }
    }

    SocketAddress address() {
        return channel.localAddress();
    }

    void awaitClose() throws InterruptedException {
        channel.closeFuture().sync();
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
        group.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** Writes back each buffer; flushes when the read burst ends, as Ripcord writes per read. */
    @ChannelHandler.Sharable
    static final class Echo extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ctx.write(msg, ctx.voidPromise());
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            // Same memory bound as Ripcord's pauseReadingWhenUnwritable.
            ctx.channel().config().setAutoRead(ctx.channel().isWritable());
            ctx.fireChannelWritabilityChanged();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
