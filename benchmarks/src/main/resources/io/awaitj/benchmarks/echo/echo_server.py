"""The python3 echo servers of the awaitj echo benchmark (io.awaitj.benchmarks.echo.Echo runs them).

    python3 echo_server.py [--uvloop]

An asyncio streams server on 127.0.0.1, port chosen by the system, written as asyncio's documentation
and uvloop's own echo benchmark write it (reader.read, writer.write, await writer.drain()). Prints
"PORT <n>", then serves until its stdin ends; on the line "mem" it prints "HEAP -1" (Python's heap is
not measured: the harness reads the process's RSS for every server).
"""
import asyncio
import sys


async def echo(reader, writer):
    try:
        while True:
            data = await reader.read(65536)
            if not data:
                break
            writer.write(data)
            await writer.drain()
    except ConnectionError:
        pass
    finally:
        writer.close()


async def main():
    server = await asyncio.start_server(echo, "127.0.0.1", 0, backlog=4096)
    print("PORT", server.sockets[0].getsockname()[1], flush=True)
    loop = asyncio.get_running_loop()
    stdin = asyncio.StreamReader()
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(stdin), sys.stdin)
    while True:
        line = await stdin.readline()
        if not line:
            break
        if line.strip() == b"mem":
            print("HEAP -1", flush=True)
    server.close()


if __name__ == "__main__":
    if "--uvloop" in sys.argv:
        import uvloop
        uvloop.install()
    asyncio.run(main())
