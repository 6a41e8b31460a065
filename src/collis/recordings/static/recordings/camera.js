// Optional camera capture for the posture upload form. The plain file input always works; this
// only appears where the browser offers getUserMedia (and MediaRecorder for video). A capture
// is put into the file input, so the same server checks apply to it.
// getUserMedia frames are not mirrored (only selfie previews are), so "mirrored" stays unticked.
(function () {
  "use strict";
  var box = document.querySelector("[data-camera]");
  var input = document.querySelector("input[type=file][name=file]");
  if (!box || !input || !navigator.mediaDevices || !navigator.mediaDevices.getUserMedia ||
      typeof DataTransfer === "undefined") {
    return;
  }
  box.hidden = false;
  var preview = box.querySelector("[data-camera-preview]");
  var startButton = box.querySelector("[data-camera-start]");
  var photoButton = box.querySelector("[data-camera-photo]");
  var recordButton = box.querySelector("[data-camera-record]");
  var stopButton = box.querySelector("[data-camera-stop]");
  var status = box.querySelector("[data-camera-status]");
  var stream = null;
  var recorder = null;
  var chunks = [];
  var canRecord = typeof MediaRecorder !== "undefined";
  // Prefer MP4 where the browser can write it; WebM otherwise. Both are accepted uploads.
  var videoType = ["video/mp4", "video/webm;codecs=vp9", "video/webm"].filter(function (t) {
    return canRecord && MediaRecorder.isTypeSupported(t);
  })[0];

  function say(text) { status.textContent = text; }

  function useFile(blob, name) {
    var transfer = new DataTransfer();
    transfer.items.add(new File([blob], name, { type: blob.type }));
    input.files = transfer.files;
    say("Ready to upload: " + name + " (" + Math.round(blob.size / 1024) + " kB). " +
        "Tick the consent box, then press “Upload and analyse”.");
  }

  startButton.addEventListener("click", function () {
    navigator.mediaDevices.getUserMedia({ video: { width: { ideal: 1280 } }, audio: false })
      .then(function (s) {
        stream = s;
        preview.srcObject = s;
        preview.play();
        photoButton.disabled = false;
        recordButton.disabled = !videoType;
        startButton.disabled = true;
        say("Camera on. Frame the head and shoulders, facing the camera.");
      })
      .catch(function (error) {
        say("The camera could not be started (" + error.name + "). Choose a file instead.");
      });
  });

  photoButton.addEventListener("click", function () {
    var canvas = document.createElement("canvas");
    canvas.width = preview.videoWidth;
    canvas.height = preview.videoHeight;
    canvas.getContext("2d").drawImage(preview, 0, 0);
    canvas.toBlob(function (blob) { useFile(blob, "camera-photo.jpg"); }, "image/jpeg", 0.92);
  });

  recordButton.addEventListener("click", function () {
    chunks = [];
    recorder = new MediaRecorder(stream, { mimeType: videoType });
    recorder.addEventListener("dataavailable", function (event) {
      if (event.data.size) { chunks.push(event.data); }
    });
    recorder.addEventListener("stop", function () {
      var type = recorder.mimeType.split(";")[0];
      useFile(new Blob(chunks, { type: type }), "camera-video." + (type === "video/mp4" ? "mp4" : "webm"));
    });
    recorder.start();
    recordButton.disabled = true;
    stopButton.disabled = false;
    say("Recording… Stop after 10 to 30 seconds (2 minutes at most).");
  });

  stopButton.addEventListener("click", function () {
    if (recorder && recorder.state !== "inactive") { recorder.stop(); }
    stopButton.disabled = true;
    recordButton.disabled = false;
  });
})();
