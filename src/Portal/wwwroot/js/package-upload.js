// Sends the chosen package straight to the upload endpoint as the raw request body, reporting progress to .NET.
// Blazor's own file streaming goes through the circuit in small acknowledged chunks and is far slower for 100 MB files.
export function uploadPackage(pickerId, url, antiforgeryToken, progressTarget) {
    const input = document.querySelector(`#${pickerId} input[type=file]`);
    const file = input && input.files && input.files[0];
    if (!file) {
        return Promise.resolve({ status: 0, body: JSON.stringify({ detail: "No file was chosen." }) });
    }

    return new Promise(resolve => {
        const xhr = new XMLHttpRequest();
        xhr.open("POST", `${url}&fileName=${encodeURIComponent(file.name)}`);
        xhr.setRequestHeader("Content-Type", "application/octet-stream");
        xhr.setRequestHeader("RequestVerificationToken", antiforgeryToken);
        let lastPercent = -1;
        xhr.upload.onprogress = event => {
            if (!event.lengthComputable) return;
            const percent = Math.floor(event.loaded * 100 / event.total);
            if (percent !== lastPercent) {
                lastPercent = percent;
                progressTarget.invokeMethodAsync("ReportProgress", percent);
            }
        };
        xhr.onload = () => resolve({ status: xhr.status, body: xhr.responseText });
        xhr.onerror = () => resolve({ status: 0, body: "" });
        xhr.onabort = () => resolve({ status: 0, body: "" });
        xhr.send(file);
    });
}
