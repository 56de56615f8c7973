/**
 * A fixed piece of work timed the same way on every run, printed with the figures: the machine this runs on
 * changes speed (a shared host, another virtual machine), and a benchmark's figures only compare across runs
 * once read against it. The work is the kind the app does most: small objects, strings, JSON.
 */
function referenceWork(): number {
  let size = 0;
  for (let round = 0; round < 200; round++) {
    const items = [];
    for (let i = 0; i < 1_000; i++) items.push({ id: i, text: `mục ${i}`, tags: [i % 7, i % 11] });
    size += JSON.stringify(items).length;
  }
  return size;
}

/** Median milliseconds of the reference work over 7 runs (after one warm-up). */
export function machineReferenceMs(): number {
  referenceWork();
  const times: number[] = [];
  for (let run = 0; run < 7; run++) {
    const started = performance.now();
    if (referenceWork() === 0) throw new Error("reference work did nothing");
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return times[3]!;
}
