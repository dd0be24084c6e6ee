package store_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"strconv"
	"strings"
	"testing"

	"github.com/ntm-vn/ntm/internal/assessment"
	"github.com/ntm-vn/ntm/internal/fault"
	"github.com/ntm-vn/ntm/internal/store"
	"github.com/ntm-vn/ntm/internal/store/storetest"
)

var (
	pdfFile = []byte("%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n")
	pngFile = []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00")
	zipFile = []byte("PK\x03\x04\x14\x00\x00\x00\x08\x00mimetype")
)

func TestCheckEvidence_TypesBySniffAndExtension(t *testing.T) {
	tests := []struct {
		name, file string
		content    []byte
		wantType   string
		wantErr    string
	}{
		{"pdf", "bien-ban.pdf", pdfFile, "application/pdf", ""},
		{"png upper-case extension", "ANH.PNG", pngFile, "image/png", ""},
		{"docx is a zip", "bao-cao.docx", zipFile, "application/vnd.openxmlformats-officedocument.wordprocessingml.document", ""},
		{"directory dropped", `C:\Users\xa\bang.xlsx`, zipFile, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ""},
		{"text called pdf", "gia.pdf", []byte("just text"), "", "không phải là tệp .pdf"},
		{"exe refused", "virus.exe", []byte("MZ\x90\x00"), "", "không được nhận"},
		{"png called pdf", "anh.pdf", pngFile, "", "không phải là tệp .pdf"},
		{"empty", "trong.pdf", nil, "", "tệp trống"},
		{"too large", "lon.pdf", append(append([]byte{}, pdfFile...), make([]byte, store.MaxEvidenceSize)...), "", "lớn hơn 10 MB"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, ct, err := store.CheckEvidence(tt.file, tt.content)
			if tt.wantErr == "" {
				if err != nil || ct != tt.wantType {
					t.Fatalf("got %q, %v; want %q", ct, err, tt.wantType)
				}
				return
			}
			if !fault.Is(err, fault.Rule) || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("got %v; want a rule error saying %q", err, tt.wantErr)
			}
		})
	}
}

func TestEvidence_AttachListDownloadRemoveAudited(t *testing.T) {
	t.Parallel()
	storetest.Units.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		a := newAssessment(t, db, "00004", "2022")

		ev, err := db.AddEvidence(ctx, "xa.tester", a.ID, store.EvidenceUpload{Code: "17.1", Filename: "bien-ban.pdf", Content: pdfFile})
		if err != nil {
			t.Fatal(err)
		}
		sum := sha256.Sum256(pdfFile)
		if ev.ID == 0 || ev.SHA256 != hex.EncodeToString(sum[:]) || ev.Size != int64(len(pdfFile)) || ev.UploadedBy != "xa.tester" || ev.Code != "17.1" {
			t.Fatalf("attached: %+v", ev)
		}
		if _, err := db.AddEvidence(ctx, "xa.tester", a.ID, store.EvidenceUpload{Filename: "anh.png", Content: pngFile}); err != nil {
			t.Fatal(err)
		}
		list, err := db.ListEvidence(ctx, a.ID)
		if err != nil || len(list) != 2 || list[0].Filename != "bien-ban.pdf" || list[1].Code != "" || list[1].ContentType != "image/png" {
			t.Fatalf("list: %+v, %v", list, err)
		}
		got, content, err := db.EvidenceContent(ctx, a.ID, ev.ID)
		if err != nil || !bytes.Equal(content, pdfFile) || got.Filename != "bien-ban.pdf" {
			t.Fatalf("content: %+v, %d bytes, %v", got, len(content), err)
		}
		if _, _, err := db.EvidenceContent(ctx, a.ID+1, ev.ID); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("content through another assessment: %v, want not found", err)
		}
		// Evidence changes no figure: the assessment's version stays.
		if cur, _ := db.Assessment(ctx, a.ID); cur.Version != a.Version {
			t.Errorf("version changed by evidence: %d → %d", a.Version, cur.Version)
		}
		if err := db.RemoveEvidence(ctx, "xa.tester", a.ID, ev.ID); err != nil {
			t.Fatal(err)
		}
		if err := db.RemoveEvidence(ctx, "xa.tester", a.ID, ev.ID); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("second removal: %v, want not found", err)
		}
		if list, _ := db.ListEvidence(ctx, a.ID); len(list) != 1 {
			t.Errorf("after removal: %+v", list)
		}
		log, err := db.AuditLog(ctx, store.AuditFilter{Entity: "assessment", EntityID: strconv.FormatInt(a.ID, 10)})
		if err != nil {
			t.Fatal(err)
		}
		var actions []string
		for _, e := range log {
			if strings.Contains(e.Action, "evidence") {
				actions = append(actions, e.Action+" "+e.Detail)
			}
		}
		want := []string{"remove_evidence bien-ban.pdf (17.1)", "attach_evidence anh.png", "attach_evidence bien-ban.pdf (17.1)"}
		if strings.Join(actions, "|") != strings.Join(want, "|") {
			t.Errorf("audit: %q, want %q", actions, want)
		}
	})
}

func TestEvidence_OnlyWhileEditable(t *testing.T) {
	t.Parallel()
	storetest.Units.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		a := newAssessment(t, db, "00004", "2022")
		ev, err := db.AddEvidence(ctx, "xa.tester", a.ID, store.EvidenceUpload{Filename: "bien-ban.pdf", Content: pdfFile})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.ChangeStatus(ctx, "xa.tester", a.ID, a.Version, assessment.Submit, ""); err != nil {
			t.Fatal(err)
		}
		if _, err := db.AddEvidence(ctx, "xa.tester", a.ID, store.EvidenceUpload{Filename: "b.pdf", Content: pdfFile}); !fault.Is(err, fault.Rule) {
			t.Errorf("attach to a submitted assessment: %v, want a rule error", err)
		}
		if err := db.RemoveEvidence(ctx, "xa.tester", a.ID, ev.ID); !fault.Is(err, fault.Rule) {
			t.Errorf("remove from a submitted assessment: %v, want a rule error", err)
		}
		if _, err := db.AddEvidence(ctx, "xa.tester", a.ID+100, store.EvidenceUpload{Filename: "b.pdf", Content: pdfFile}); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("attach to a missing assessment: %v, want not found", err)
		}
		if _, err := db.AddEvidence(ctx, "xa.tester", a.ID, store.EvidenceUpload{Code: "17.1; DROP", Filename: "b.pdf", Content: pdfFile}); !fault.Is(err, fault.Rule) {
			t.Errorf("bad code: %v, want a rule error", err)
		}
	})
}
