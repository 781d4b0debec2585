// The Node echo server of the awaitj echo benchmark (io.awaitj.benchmarks.echo.Echo runs it).
//
//     node --expose-gc echo_server.mjs
//
// A net server on 127.0.0.1, port chosen by the system, echoing each chunk with back-pressure (pause
// the socket while a write is buffered past its high-water mark, resume on 'drain'). Prints
// "PORT <n>", then serves until its stdin ends; on the line "mem" it collects garbage and prints
// "HEAP <bytes>" (V8's heap in use).
import net from "node:net";
import readline from "node:readline";

const server = net.createServer({ noDelay: true }, (socket) => {
  socket.on("data", (chunk) => {
    if (!socket.write(chunk)) {
      socket.pause();
      socket.once("drain", () => socket.resume());
    }
  });
  socket.on("error", () => {});
  socket.on("end", () => socket.end());
});
server.listen({ host: "127.0.0.1", port: 0, backlog: 4096 }, () => {
  console.log("PORT " + server.address().port);
});
const rl = readline.createInterface({ input: process.stdin });
rl.on("line", (line) => {
  if (line.trim() === "mem") {
    if (global.gc) {
      global.gc();
    }
    console.log("HEAP " + process.memoryUsage().heapUsed);
  }
});
rl.on("close", () => process.exit(0));
