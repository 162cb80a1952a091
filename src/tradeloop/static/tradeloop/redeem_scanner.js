// The redeem page's camera: scan a voucher's QR code into the code field and check it.
// BarcodeDetector where the browser has it, else jsQR (vendor/jsqr) on video frames. Without a camera (or
// JavaScript) the code is typed.
(function () {
  const form = document.querySelector("[data-redeem-form]");
  const button = form && form.querySelector("[data-scan]");
  if (!button || !navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) return;
  const box = form.querySelector("[data-scanner]");
  const video = form.querySelector("[data-scanner-video]");
  const status = form.querySelector("[data-scanner-status]");
  const input = form.querySelector("input[name=code]");
  const startLabel = button.textContent;
  const canvas = document.createElement("canvas");
  let stream = null;
  let detector = null;
  button.hidden = false;

  function stop() {
    if (stream) stream.getTracks().forEach((track) => track.stop());
    stream = null;
    box.hidden = true;
    button.textContent = startLabel;
  }

  function found(text) {
    stop();
    input.value = text.trim();
    const check = form.querySelector("button[value=check]");
    if (form.requestSubmit) form.requestSubmit(check);
    else form.submit();
  }

  async function decode() {
    if (detector) {
      const codes = await detector.detect(video);
      return codes.length ? codes[0].rawValue : null;
    }
    if (!window.jsQR || !video.videoWidth) return null;
    canvas.width = video.videoWidth;
    canvas.height = video.videoHeight;
    const context = canvas.getContext("2d", { willReadFrequently: true });
    context.drawImage(video, 0, 0, canvas.width, canvas.height);
    const image = context.getImageData(0, 0, canvas.width, canvas.height);
    const code = window.jsQR(image.data, image.width, image.height, { inversionAttempts: "dontInvert" });
    return code ? code.data : null;
  }

  async function scan() {
    if (!stream) return;
    try {
      const text = await decode();
      if (text) return found(text);
    } catch (error) {
      detector = null; // a detector that fails falls back to jsQR
    }
    window.requestAnimationFrame(scan);
  }

  button.addEventListener("click", async () => {
    if (stream) return stop();
    try {
      if ("BarcodeDetector" in window) {
        const formats = await window.BarcodeDetector.getSupportedFormats();
        if (formats.includes("qr_code")) detector = new window.BarcodeDetector({ formats: ["qr_code"] });
      }
      stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false });
    } catch (error) {
      status.textContent = button.dataset.noCamera;
      box.hidden = false;
      return;
    }
    video.srcObject = stream;
    box.hidden = false;
    button.textContent = button.dataset.labelStop;
    await video.play();
    scan();
  });
})();
