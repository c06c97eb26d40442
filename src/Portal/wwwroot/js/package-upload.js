// Sends the chosen package straight to the upload endpoint as the raw request body, reporting progress to .NET.
// Blazor's own file streaming goes through the circuit in small acknowledged chunks and is far slower for 100 MB files.
let current = null;

export function uploadPackage(pickerId, url, antiforgeryToken, progressTarget) {
    // The picker keeps the input of each file chosen (hidden) and adds an empty one: the last that holds a file is this one.
    const input = [...document.querySelectorAll(`#${pickerId} input[type=file]`)].findLast(candidate => candidate.files && candidate.files.length > 0);
    const file = input && input.files && input.files[0];
    if (!file) {
        return Promise.resolve({ status: 0, body: JSON.stringify({ detail: "No file was chosen." }), cancelled: false });
    }

    return new Promise(resolve => {
        const xhr = new XMLHttpRequest();
        current = xhr;
        xhr.open("POST", `${url}&fileName=${encodeURIComponent(file.name)}`);
        xhr.setRequestHeader("Content-Type", "application/octet-stream");
        xhr.setRequestHeader("RequestVerificationToken", antiforgeryToken);
        // At most five reports a second reach .NET, and always the last one.
        let lastReport = 0;
        xhr.upload.onprogress = event => {
            const now = performance.now();
            if (event.loaded === event.total || now - lastReport >= 200) {
                lastReport = now;
                progressTarget.invokeMethodAsync("ReportTransfer", event.loaded, event.total);
            }
        };
        const finish = (status, body, cancelled) => {
            current = null;
            resolve({ status, body, cancelled });
        };
        xhr.onload = () => finish(xhr.status, xhr.responseText, false);
        xhr.onerror = () => finish(0, "", false);
        xhr.onabort = () => finish(0, "", true);
        xhr.send(file);
    });
}

// The Cancel button: stops the request; the server removes what it received.
export function cancelUpload() {
    if (current) {
        current.abort();
    }
}
