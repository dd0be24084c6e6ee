package recognition

import (
	"bytes"
	"fmt"
	"path"
	"strings"
	"unicode/utf8"
)

// MaxFileSize is the largest document a dossier takes: a scanned decision or report, kept
// small enough to upload over a weak connection.
const MaxFileSize = 10 << 20

// fileTypes are the documents a dossier takes, by extension: scans and office files.
var fileTypes = map[string]string{
	".pdf":  "application/pdf",
	".jpg":  "image/jpeg",
	".jpeg": "image/jpeg",
	".png":  "image/png",
	".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
	".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
	".odt":  "application/vnd.oasis.opendocument.text",
	".ods":  "application/vnd.oasis.opendocument.spreadsheet",
	".doc":  "application/msword",
	".xls":  "application/vnd.ms-excel",
}

// AllowedExtensions lists the file extensions a dossier takes, for messages and forms.
const AllowedExtensions = ".pdf, .jpg, .png, .docx, .xlsx, .odt, .ods, .doc, .xls"

// CheckFile checks an uploaded document and returns its content type: the extension must be
// one a dossier takes and the content must look like it (PDF, JPEG, PNG, a zip for the Office
// Open and OpenDocument files, an OLE2 file for .doc and .xls), and it must be 1 byte to
// MaxFileSize. The file name is cleaned of any directory.
func CheckFile(filename string, content []byte) (name, contentType string, err error) {
	name = path.Base(strings.ReplaceAll(strings.TrimSpace(filename), "\\", "/"))
	if name == "." || name == "/" || name == "" || !utf8.ValidString(name) || len(name) > 200 {
		return "", "", RuleFault("tên tệp không hợp lệ (bad file name)")
	}
	switch {
	case len(content) == 0:
		return "", "", RuleFault("tệp trống (the file is empty)")
	case len(content) > MaxFileSize:
		return "", "", RuleFault(fmt.Sprintf("tệp lớn hơn %d MB; hãy nén hoặc quét ở độ phân giải thấp hơn (the file is larger than %d MB)", MaxFileSize>>20, MaxFileSize>>20))
	}
	ext := strings.ToLower(path.Ext(name))
	ct, ok := fileTypes[ext]
	if !ok {
		return "", "", RuleFault(fmt.Sprintf("loại tệp %q không nhận; dùng %s (file type not accepted)", ext, AllowedExtensions))
	}
	var magic []byte
	switch ext {
	case ".pdf":
		magic = []byte("%PDF-")
	case ".jpg", ".jpeg":
		magic = []byte{0xFF, 0xD8, 0xFF}
	case ".png":
		magic = []byte("\x89PNG\r\n\x1a\n")
	case ".docx", ".xlsx", ".odt", ".ods":
		magic = []byte("PK\x03\x04")
	case ".doc", ".xls":
		magic = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}
	}
	if !bytes.HasPrefix(content, magic) {
		return "", "", RuleFault(fmt.Sprintf("nội dung tệp %s không phải là tệp %s (the content does not match the extension)", name, ext))
	}
	return name, ct, nil
}
