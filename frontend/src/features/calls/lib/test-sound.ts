/** A short two-note chime on the chosen speaker (or the default one), to check that sound comes out. */
export async function playTestSound(outputId: string): Promise<void> {
  const context = new AudioContext();
  const destination = context.createMediaStreamDestination();
  const gain = context.createGain();
  gain.gain.value = 0.2;
  gain.connect(destination);
  const element = new Audio();
  element.srcObject = destination.stream;
  if (outputId && "setSinkId" in element) await element.setSinkId(outputId);
  await element.play();
  const start = context.currentTime;
  [660, 880].forEach((frequency, i) => {
    const tone = context.createOscillator();
    tone.frequency.value = frequency;
    tone.connect(gain);
    tone.start(start + i * 0.35);
    tone.stop(start + i * 0.35 + 0.3);
  });
  await new Promise((resolve) => window.setTimeout(resolve, 900));
  element.pause();
  await context.close();
}
