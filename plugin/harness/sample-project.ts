// The browser harness's sequence: what an editor's rough cut looks like when it is ready for music.
import type { FakeProjectDescription } from "../host/fake-host";

const at = (seconds: number) => ({ seconds });

/** `voiceOverPath`: a real file for the helper to listen to (the Dialogue clip's media). */
export function sampleProject(voiceOverPath = "/media/voice-over.wav"): FakeProjectDescription {
  return {
    name: "Cuesmith demo",
    sequence: {
      id: "seq-demo",
      name: "Product launch — rough cut",
      fps: 25,
      videoTracks: [
        {
          name: "Video 1",
          clips: [{ name: "A-roll", mediaPath: "/media/a-roll.mp4", start: at(0), duration: at(40) }],
        },
      ],
      audioTracks: [
        { name: "Dialogue", clips: [{ name: "Voice-over", mediaPath: voiceOverPath, start: at(0), duration: at(6) }] },
        {
          name: "Music",
          clips: [{ name: "licensed sting", mediaPath: "/media/sting.wav", start: at(30), duration: at(2) }],
        },
        { name: "Beds" },
        { name: "Beds 2" },
      ],
      markers: [
        { name: "#unboxing", comments: "lid comes off", start: at(2), duration: at(3) },
        { name: "#tutorial", start: at(6) },
        { name: "Morning", comments: "#vlog_morning", start: at(9), duration: at(2) },
        { name: "intro", comments: "prompt: calm piano, soft strings, no vocals", start: at(12), duration: at(1.5) },
        { name: "#logo_sting", start: at(30.4), duration: at(1) },
        { name: "Chapter 1", type: "chapter", start: at(20) },
      ],
    },
  };
}
