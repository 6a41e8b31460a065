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

  // --- Live framing check ---------------------------------------------------------------------
  // Twice a second, before and during recording: where is the face, and what should the patient
  // change? Where the browser has a face detector (the Shape Detection API's FaceDetector:
  // Chrome on Android, macOS and ChromeOS) its face box is used. Elsewhere (Chromium on Linux,
  // Firefox, Safari) no face model ships with the page, so the check is a simple one, and says
  // so: the largest patch of skin-coloured pixels (the YCbCr range of Chai & Ngan, 1999) in a
  // 80 x 60 copy of the frame stands for the head. Coloured light, a beige or wooden wall behind
  // the patient, or a skin tone outside that range can fool it; when the patch is implausible it
  // says it cannot tell rather than guess. It only advises: recording is never blocked, and the
  // server measures the video with its own face model.
  var framing = box.querySelector("[data-recorder-framing]");
  var faceBox = box.querySelector("[data-recorder-facebox]");
  var sample = document.createElement("canvas");
  var W = 80;
  var H = 60;
  sample.width = W;
  sample.height = H;
  var sampleCtx = sample.getContext("2d", { willReadFrequently: true });
  var detector = null;
  var method = "skin-colour";
  if (typeof window.FaceDetector === "function") {
    try {
      detector = new window.FaceDetector({ fastMode: true, maxDetectedFaces: 1 });
      method = "face-detector";
    } catch (e) { detector = null; }
  }
  var framingTimer = null;
  var checking = false;
  // English fallbacks; the page's words (recorder_words in views.py) are used when present.
  var MESSAGES = {
    ok: w("framing_ok", "Good: your face is inside the frame."),
    dark: w("framing_dark", "It looks too dark. Turn on a light in front of you."),
    "no-face": w("framing_no_face",
      "We can’t see your face. Sit facing the camera, with a light in front of you."),
    "too-far": w("framing_too_far",
      "You look too far away: move closer, so your face fills more of the oval."),
    "too-close": w("framing_too_close",
      "You are too close: hold the phone a little further away, so your shoulders show."),
    left: w("framing_left",
      "Your face is too far to the left of the picture: move so it sits inside the oval."),
    right: w("framing_right",
      "Your face is too far to the right of the picture: move so it sits inside the oval."),
    unknown: w("framing_unknown",
      "We can’t check the framing automatically here: make sure your face is inside the oval.")
  };
  var SIMPLE_CHECK = w("framing_simple", "(A simple colour check, not face recognition.)");

  function showFraming(state, rect) {
    box.setAttribute("data-framing", state);
    box.setAttribute("data-framing-method", method);
    var text = MESSAGES[state];
    if (method === "skin-colour" && state !== "dark") {
      text += " " + SIMPLE_CHECK;
    }
    if (framing.textContent !== text) { framing.textContent = text; }
    framing.className = "framing framing-" + (state === "ok" ? "ok" : "warn");
    if (rect) {
      // CSSOM properties, not a style attribute: allowed under the strict CSP.
      faceBox.style.left = (100 * rect.x0) + "%";
      faceBox.style.top = (100 * rect.y0) + "%";
      faceBox.style.width = (100 * (rect.x1 - rect.x0)) + "%";
      faceBox.style.height = (100 * (rect.y1 - rect.y0)) + "%";
      faceBox.className = "facebox facebox-" + (state === "ok" ? "ok" : "warn");
      faceBox.hidden = false;
    } else {
      faceBox.hidden = true;
    }
  }

  // Judge a head box given as shares of the frame (0..1); minWidth: narrower is too far away.
  function judge(rect, share, minWidth) {
    var width = rect.x1 - rect.x0;
    var centre = (rect.x0 + rect.x1) / 2;
    if (share > 0.6) { return "unknown"; }  // most of the picture: a wall, not a head
    if (share > 0.35 || (rect.y0 <= 0.02 && rect.y1 >= 0.98)) { return "too-close"; }
    if (width < minWidth) { return "too-far"; }
    if (centre < 0.3) { return "left"; }
    if (centre > 0.7) { return "right"; }
    return "ok";
  }

  // The largest 4-connected patch of skin-coloured pixels, or null.
  function skinPatch(pixels) {
    var n = W * H;
    var mask = new Uint8Array(n);
    var luma = 0;
    for (var i = 0; i < n; i++) {
      var r = pixels[4 * i], g = pixels[4 * i + 1], b = pixels[4 * i + 2];
      var y = 0.299 * r + 0.587 * g + 0.114 * b;
      var cb = 128 - 0.168736 * r - 0.331264 * g + 0.5 * b;
      var cr = 128 + 0.5 * r - 0.418688 * g - 0.081312 * b;
      luma += y;
      mask[i] = (cb >= 77 && cb <= 127 && cr >= 133 && cr <= 173 && y > 40) ? 1 : 0;
    }
    var best = null;
    var queue = new Int32Array(n);
    for (var start = 0; start < n; start++) {
      if (mask[start] !== 1) { continue; }
      var head = 0, tail = 0, count = 0;
      var x0 = W, x1 = 0, y0 = H, y1 = 0;
      queue[tail++] = start;
      mask[start] = 2;
      while (head < tail) {
        var p = queue[head++];
        var px = p % W, py = (p - px) / W;
        count++;
        if (px < x0) { x0 = px; } if (px > x1) { x1 = px; }
        if (py < y0) { y0 = py; } if (py > y1) { y1 = py; }
        var next = [px > 0 ? p - 1 : -1, px < W - 1 ? p + 1 : -1,
                    py > 0 ? p - W : -1, py < H - 1 ? p + W : -1];
        for (var k = 0; k < 4; k++) {
          if (next[k] >= 0 && mask[next[k]] === 1) { mask[next[k]] = 2; queue[tail++] = next[k]; }
        }
      }
      if (!best || count > best.count) {
        best = { count: count, x0: x0 / W, x1: (x1 + 1) / W, y0: y0 / H, y1: (y1 + 1) / H };
      }
    }
    return { patch: best, luma: luma / n };
  }

  function checkFraming() {
    if (checking || !preview.videoWidth) { return; }
    checking = true;
    sampleCtx.drawImage(preview, 0, 0, W, H);
    var found = skinPatch(sampleCtx.getImageData(0, 0, W, H).data);
    if (found.luma < 45) {
      showFraming("dark", null);
      checking = false;
      return;
    }
    if (detector) {
      detector.detect(preview).then(function (faces) {
        if (!faces.length) {
          showFraming("no-face", null);
        } else {
          var b = faces[0].boundingBox;
          var vw = preview.videoWidth, vh = preview.videoHeight;
          var rect = { x0: b.x / vw, x1: (b.x + b.width) / vw, y0: b.y / vh, y1: (b.y + b.height) / vh };
          // A face box covers less than the head-and-neck patch the thresholds are set for:
          // on the rendered test head a face 16 % of the frame wide (box ≈ 4 % of the frame)
          // gives a skin patch of 9.8 % of the pixels and 32 % of the width, so the box counts
          // as 0.4 of the patch's area and half its width. Untested in CI: Chromium on Linux
          // has no FaceDetector.
          var area = (rect.x1 - rect.x0) * (rect.y1 - rect.y0);
          showFraming(judge(rect, area / 0.4, 0.07), rect);
        }
      }).catch(function () {
        detector = null;
        method = "skin-colour";
      }).then(function () { checking = false; });
      return;
    }
    var patch = found.patch;
    // Fewer than 0.8 % of the pixels: nothing head-sized.
    if (!patch || patch.count < 0.008 * W * H) {
      showFraming("no-face", null);
    } else {
      // Narrower than 14 % of the frame: the rendered head at 6 % face width (too far) gives
      // a 10 % patch, at 16 % (well placed) a 32 % one.
      showFraming(judge(patch, patch.count / (W * H), 0.14), patch);
    }
    checking = false;
  }

  function startFraming() {
    if (framingTimer === null) {
      framing.hidden = false;
      checkFraming();
      framingTimer = window.setInterval(checkFraming, 500);
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
        say(w("camera_on", "Camera on. Put your face inside the oval, then start the check-in."));
        preview.addEventListener("playing", startFraming);
        if (preview.videoWidth) { startFraming(); }
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
