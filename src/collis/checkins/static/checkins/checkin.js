// Guided home check-in recorder. The plain file input always works (the phone's camera app);
// this only appears where the browser has getUserMedia and MediaRecorder. The prompts come from
// the server's protocol (json_script) on the same clock as the recording, so the server can cut
// the video into segments by time. The finished video is put into the file input: the same
// server checks apply to it.
(function () {
  "use strict";
  var box = document.querySelector("[data-recorder]");
  var input = document.querySelector("input[type=file][name=file]");
  var protocolNode = document.getElementById("checkin-protocol");
  if (!box || !input || !protocolNode || !navigator.mediaDevices ||
      !navigator.mediaDevices.getUserMedia || typeof MediaRecorder === "undefined" ||
      typeof DataTransfer === "undefined") {
    return;
  }
  var protocol = JSON.parse(protocolNode.textContent);
  // The page's language: words from the server (json_script), English if they are missing.
  var wordsNode = document.getElementById("checkin-words");
  var words = wordsNode ? JSON.parse(wordsNode.textContent) : {};
  function w(key, english) { return words[key] || english; }
  var duration = parseFloat(box.getAttribute("data-duration")) || 27;
  var preview = box.querySelector("[data-recorder-preview]");
  var startButton = box.querySelector("[data-recorder-start]");
  var recordButton = box.querySelector("[data-recorder-record]");
  var status = box.querySelector("[data-recorder-status]");
  var promptLine = box.querySelector("[data-recorder-prompt]");
  var videoType = ["video/mp4", "video/webm;codecs=vp9", "video/webm"].filter(function (t) {
    return MediaRecorder.isTypeSupported(t);
  })[0];
  var stream = null;
  box.hidden = false;

  function say(text) { status.textContent = text; }

  // A quick look at the light before recording: the mean brightness of a small frame.
  function checkLight() {
    if (!preview.videoWidth) { return; }
    var canvas = document.createElement("canvas");
    canvas.width = 64;
    canvas.height = 48;
    var ctx = canvas.getContext("2d");
    ctx.drawImage(preview, 0, 0, 64, 48);
    var pixels = ctx.getImageData(0, 0, 64, 48).data;
    var sum = 0;
    for (var i = 0; i < pixels.length; i += 4) {
      sum += 0.299 * pixels[i] + 0.587 * pixels[i + 1] + 0.114 * pixels[i + 2];
    }
    var mean = sum / (pixels.length / 4);
    if (mean < 45) {
      say(w("dark", "It looks too dark. Turn on a light in front of you, then start the check-in."));
    } else {
      say(w("camera_on", "Camera on. Put your face inside the oval, then start the check-in."));
    }
  }

  startButton.addEventListener("click", function () {
    // 640 x 480 is plenty for head angles (a face needs 32 px a side) and keeps uploads small;
    // a width-only request can make a camera stretch its picture to another aspect ratio.
    var wanted = { facingMode: "user", width: { ideal: 640 }, height: { ideal: 480 } };
    navigator.mediaDevices.getUserMedia({ video: wanted, audio: false })
      .then(function (s) {
        stream = s;
        preview.srcObject = s;
        preview.play();
        startButton.disabled = true;
        recordButton.disabled = !videoType;
        window.setTimeout(checkLight, 800);
        say(w("camera_on", "Camera on. Put your face inside the oval, then start the check-in."));
      })
      .catch(function (error) {
        say(w("no_camera", "The camera could not be started.") + " (" + error.name + ") " +
            w("use_camera_app",
              "Record with your phone's camera app and choose the video below instead."));
      });
  });

  recordButton.addEventListener("click", function () {
    var chunks = [];
    // A generous bit rate: blocky frames lose the face landmarks the analysis needs.
    var recorder = new MediaRecorder(stream, { mimeType: videoType, videoBitsPerSecond: 4000000 });
    var started = 0;
    var timer = null;
    recorder.addEventListener("dataavailable", function (event) {
      if (event.data.size) { chunks.push(event.data); }
    });
    recorder.addEventListener("stop", function () {
      window.clearInterval(timer);
      var type = recorder.mimeType.split(";")[0];
      var name = "checkin." + (type === "video/mp4" ? "mp4" : "webm");
      var transfer = new DataTransfer();
      transfer.items.add(new File([new Blob(chunks, { type: type })], name, { type: type }));
      input.files = transfer.files;
      promptLine.textContent = w("done", "Done. Thank you!");
      recordButton.disabled = false;
      recordButton.textContent = w("record_again", "Record again");
      say(w("ready", "Your check-in is ready. Press “Send to my clinic”, or record again."));
    });
    function tick() {
      var t = (performance.now() - started) / 1000;
      var step = protocol.filter(function (s) { return t >= s.start && t < s.end; })[0];
      if (step) {
        promptLine.textContent = step.prompt + " (" + Math.ceil(step.end - t) + ")";
      }
      if (t >= duration && recorder.state !== "inactive") { recorder.stop(); }
    }
    recorder.start(1000);
    started = performance.now();
    recordButton.disabled = true;
    say(w("recording", "Recording… follow the prompts."));
    tick();
    timer = window.setInterval(tick, 200);
  });
})();
