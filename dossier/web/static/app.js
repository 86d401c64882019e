// The workspace's only script: drag-and-drop upload into an evidence item and the live
// progress of a package build (server-sent events). No framework, no build step.
"use strict";

// The CSRF token of this page (the server refuses a POST without it); forms carry it as
// their first field, scripts send it in a header.
function csrfHeaders(extra) {
  var meta = document.querySelector('meta[name="csrf-token"]');
  var headers = {"X-CSRF-Token": meta ? meta.content : ""};
  for (var k in extra) headers[k] = extra[k];
  return headers;
}

// <form data-confirm="…">: ask before submitting (no inline handlers: the page's
// Content-Security-Policy forbids them).
function setupConfirm() {
  document.querySelectorAll("form[data-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (e) {
      if (!window.confirm(form.dataset.confirm)) e.preventDefault();
    });
  });
}

function setupDrop() {
  document.querySelectorAll("td.drop").forEach(function (cell) {
    var row = cell.closest("tr") || cell;
    ["dragenter", "dragover"].forEach(function (name) {
      row.addEventListener(name, function (e) { e.preventDefault(); cell.classList.add("over"); });
    });
    ["dragleave", "drop"].forEach(function (name) {
      row.addEventListener(name, function (e) { e.preventDefault(); cell.classList.remove("over"); });
    });
    row.addEventListener("drop", function (e) {
      var files = e.dataTransfer && e.dataTransfer.files;
      if (!files || !files.length) return;
      var data = new FormData();
      for (var i = 0; i < files.length; i++) data.append("file", files[i]);
      if (cell.dataset.extract) data.append("extract", "1");
      cell.textContent = "正在上传 " + files.length + " 个文件…";
      fetch(cell.dataset.url, {method: "POST", body: data, headers: csrfHeaders({"Accept": "application/json"})})
        .then(function (r) { return r.json().then(function (body) { return [r.ok, body]; }); })
        .then(function (res) {
          var msg = res[0] ? res[1].message : (res[1].error || "上传失败");
          if (res[0] && res[1].extract) { location.href = res[1].extract + "&msg=" + encodeURIComponent(msg); return; }
          location.href = location.pathname + "?msg=" + encodeURIComponent(msg);
        })
        .catch(function () { cell.textContent = "上传失败"; });
    });
  });
}

function setupBuild() {
  var box = document.getElementById("build");
  if (!box) return;
  var bar = document.getElementById("progress-bar");
  var text = document.getElementById("progress-text");
  var button = document.getElementById("build-button");
  function listen() {
    var source = new EventSource(box.dataset.events);
    source.onmessage = function (e) {
      var ev = JSON.parse(e.data);
      bar.style.width = ev.percent + "%";
      text.textContent = ev.message;
    };
    source.addEventListener("end", function () { source.close(); location.reload(); });
    source.onerror = function () { source.close(); setTimeout(listen, 1000); };
  }
  var form = document.getElementById("build-form");
  form.addEventListener("submit", function (e) {
    e.preventDefault();
    button.disabled = true;
    text.textContent = "开始生成材料包…";
    fetch(form.action, {method: "POST", body: new FormData(form), headers: csrfHeaders({"Accept": "application/json"})})
      .then(function () { box.dataset.state = "running"; listen(); });
  });
  if (box.dataset.state === "running") listen();  // a reload during a build picks it up again
}

document.addEventListener("DOMContentLoaded", function () { setupConfirm(); setupDrop(); setupBuild(); });
