/** A progress bar on stderr: redrawn in place on a terminal, one line per 10% step otherwise (CI logs). */
export const createProgressBar = (stream: NodeJS.WriteStream = process.stderr) => {
  let lastStep = -1;
  return {
    update: (percent: number, message: string) => {
      const clamped = Math.max(0, Math.min(100, percent));
      if (stream.isTTY) {
        const width = 30;
        const filled = Math.round((clamped / 100) * width);
        stream.write(
          `\r[${"#".repeat(filled)}${".".repeat(width - filled)}] ${clamped.toFixed(0).padStart(3)}% ${message}`.padEnd(
            100,
          ),
        );
        return;
      }
      const step = Math.floor(clamped / 10);
      if (step !== lastStep) {
        lastStep = step;
        stream.write(`${clamped.toFixed(0).padStart(3)}% ${message}\n`);
      }
    },
    done: () => {
      if (stream.isTTY) stream.write("\n");
    },
  };
};
