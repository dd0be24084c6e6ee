package web

import "net/http"

// apiRoutes binds the JSON API: each endpoint with the status it answers on success and its
// handler (an apiFunc: read the request, call app or the store, return), in one table where
// the API's surface reads at a glance. Each endpoint's documentation stays beside its handler
// (documentAPI); the registers (apiRegister) bind their own routes.
func (s *Server) apiRoutes() {
	for _, rt := range append(s.recordRoutes(), s.programmeRoutes()...) {
		s.mux.HandleFunc(rt.pattern, s.apiStatus(rt.status, rt.h))
	}
}

// apiEndpoint is one endpoint of the table: its pattern, the status of a success, its handler.
type apiEndpoint struct {
	pattern string
	status  int
	h       apiFunc
}

// recordRoutes are the endpoints of the records communes keep: assessments, criteria, evidence,
// imports, OCOP.
func (s *Server) recordRoutes() []apiEndpoint {
	return []apiEndpoint{
		// assessments.go
		{"GET /api/v1/assessments", http.StatusOK, s.listAssessments},
		{"POST /api/v1/assessments", http.StatusCreated, s.createAssessment},
		{"GET /api/v1/assessments/{id}", http.StatusOK, s.getAssessment},
		{"PATCH /api/v1/assessments/{id}/values", http.StatusOK, s.patchValues},
		{"POST /api/v1/assessments/{id}/status", http.StatusOK, s.changeStatus},
		{"GET /api/v1/assessments/{id}/evaluation", http.StatusOK, s.assessmentEvaluation},
		{"GET /api/v1/assessments/{id}/history", http.StatusOK, s.assessmentHistory},
		{"POST /api/v1/evaluate", http.StatusOK, s.evaluateValues},
		// criteria.go, criteria_import.go
		{"GET /api/v1/criteria", http.StatusOK, s.listCriteria},
		{"GET /api/v1/criteria/{id}", http.StatusOK, s.getCriteria},
		{"GET /api/v1/criteria/{id}/export", http.StatusOK, s.exportCriteria},
		{"POST /api/v1/criteria", http.StatusOK, s.importCriteria},
		{"POST /api/v1/criteria/{id}/verified", http.StatusOK, s.verifyCriteria},
		{"POST /api/v1/criteria/import", http.StatusOK, s.postCriteriaImport},
		// evidence.go
		{"GET /api/v1/assessments/{id}/evidence", http.StatusOK, s.listEvidence},
		{"POST /api/v1/assessments/{id}/evidence", http.StatusCreated, s.uploadEvidence},
		{"GET /api/v1/assessments/{id}/evidence/{eid}", http.StatusOK, s.downloadEvidence},
		{"DELETE /api/v1/assessments/{id}/evidence/{eid}", http.StatusNoContent, s.deleteEvidence},
		// imports.go
		{"POST /api/v1/imports", http.StatusAccepted, s.createImport},
		{"GET /api/v1/imports/{id}", http.StatusOK, s.getImport},
		// ocop.go
		{"GET /api/v1/ocop/rules", http.StatusOK, s.ocopRulesAPI},
		{"GET /api/v1/ocop/import-template", http.StatusOK, s.ocopTemplate},
		{"GET /api/v1/ocop/producers", http.StatusOK, s.listOCOPProducers},
		{"POST /api/v1/ocop/producers", http.StatusCreated, s.createOCOPProducer},
		{"GET /api/v1/ocop/producers/{id}", http.StatusOK, s.getOCOPProducer},
		{"PATCH /api/v1/ocop/producers/{id}", http.StatusOK, s.updateOCOPProducer},
		{"DELETE /api/v1/ocop/producers/{id}", http.StatusNoContent, s.deleteOCOPProducer},
		{"GET /api/v1/ocop/products", http.StatusOK, s.listOCOPProducts},
		{"POST /api/v1/ocop/products", http.StatusCreated, s.createOCOPProduct},
		{"GET /api/v1/ocop/products/{id}", http.StatusOK, s.getOCOPProduct},
		{"PATCH /api/v1/ocop/products/{id}", http.StatusOK, s.updateOCOPProduct},
		{"DELETE /api/v1/ocop/products/{id}", http.StatusNoContent, s.deleteOCOPProduct},
		{"POST /api/v1/ocop/products/{id}/photos", http.StatusCreated, s.addOCOPPhoto},
		{"GET /api/v1/ocop/photos/{id}", http.StatusOK, s.getOCOPPhoto},
		{"DELETE /api/v1/ocop/photos/{id}", http.StatusNoContent, s.deleteOCOPPhoto},
		{"POST /api/v1/ocop/products/{id}/evaluations", http.StatusCreated, s.openOCOPEvaluation},
		{"GET /api/v1/ocop/evaluations/{id}", http.StatusOK, s.getOCOPEvaluation},
		{"PATCH /api/v1/ocop/evaluations/{id}", http.StatusOK, s.updateOCOPEvaluation},
		{"POST /api/v1/ocop/evaluations/{id}/scoresheets", http.StatusOK, s.putOCOPSheet},
		{"DELETE /api/v1/ocop/evaluations/{id}/scoresheets/{member}", http.StatusOK, s.deleteOCOPSheet},
		{"POST /api/v1/ocop/evaluations/{id}/close", http.StatusOK, s.closeOCOPEvaluation},
		{"POST /api/v1/ocop/evaluations/{id}/certificate", http.StatusCreated, s.issueOCOPCertificate},
		{"GET /api/v1/ocop/certificates/{id}", http.StatusOK, s.getOCOPCertificate},
		{"POST /api/v1/ocop/certificates/{id}/revoke", http.StatusOK, s.revokeOCOPCertificate},
		{"GET /api/v1/ocop/expiring", http.StatusOK, s.ocopExpiring},
		{"GET /api/v1/ocop/figures", http.StatusOK, s.ocopFigures},
		{"POST /api/v1/ocop/import", http.StatusOK, s.importOCOP},
		// ocop_councils.go
		{"GET /api/v1/ocop/councils", http.StatusOK, s.listOCOPCouncils},
		{"POST /api/v1/ocop/councils", http.StatusCreated, s.createOCOPCouncil},
		{"GET /api/v1/ocop/councils/{id}", http.StatusOK, s.getOCOPCouncil},
		{"PUT /api/v1/ocop/councils/{id}/members", http.StatusOK, s.setOCOPCouncilMembers},
	}
}

// programmeRoutes are the endpoints of the programme's offices: plan, progress, queue,
// recognition, reports, resources, units, targets, accounts.
func (s *Server) programmeRoutes() []apiEndpoint {
	return []apiEndpoint{
		// plan.go, plan_api.go
		{"GET /api/v1/plan", http.StatusOK, s.getPlan},
		{"GET /api/v1/plan/warnings", http.StatusOK, s.getPlanWarnings},
		{"GET /api/v1/plan/costs", http.StatusOK, s.getPlanCosts},
		{"POST /api/v1/plan/costs", http.StatusOK, s.importPlanCosts},
		{"GET /api/v1/plan/proposal", http.StatusOK, s.getPlanProposal},
		{"POST /api/v1/plan/projection", http.StatusOK, s.postPlanProjection},
		{"GET /api/v1/plan/scenarios", http.StatusOK, s.listScenarios},
		{"POST /api/v1/plan/scenarios", http.StatusCreated, s.createScenario},
		{"GET /api/v1/plan/scenarios/{id}", http.StatusOK, s.getScenario},
		{"PUT /api/v1/plan/scenarios/{id}", http.StatusOK, s.saveScenario},
		{"GET /api/v1/plan/scenarios/{id}/compare", http.StatusOK, s.compareScenario},
		// progress.go
		{"GET /api/v1/progress", http.StatusOK, s.getProgress},
		// queue.go
		{"POST /api/v1/assessments/status", http.StatusOK, s.bulkStatus},
		// recognition.go
		{"GET /api/v1/workflows", http.StatusOK, s.listWorkflows},
		{"GET /api/v1/dossiers", http.StatusOK, s.listDossiers},
		{"POST /api/v1/dossiers", http.StatusCreated, s.createDossierAPI},
		{"GET /api/v1/dossiers/overdue", http.StatusOK, s.overdueDossiers},
		{"GET /api/v1/dossiers/{id}", http.StatusOK, s.getDossier},
		{"POST /api/v1/dossiers/{id}/documents", http.StatusCreated, s.uploadDocumentAPI},
		{"GET /api/v1/dossiers/{id}/documents/{doc}", http.StatusOK, s.downloadDocument},
		{"DELETE /api/v1/dossiers/{id}/documents/{doc}", http.StatusNoContent, s.deleteDocumentAPI},
		{"POST /api/v1/dossiers/{id}/comments", http.StatusCreated, s.commentAPI},
		{"POST /api/v1/dossiers/{id}/public-comments", http.StatusCreated, bodyAPI(withPathID(s.addPublicComment))},
		{"POST /api/v1/dossiers/{id}/posting", http.StatusOK, bodyAPI(withPathID(s.recordPosting))},
		{"POST /api/v1/dossiers/{id}/vote", http.StatusOK, bodyAPI(withPathID(s.recordVote))},
		{"POST /api/v1/dossiers/{id}/actions", http.StatusOK, bodyAPI(withPathID(s.takeAction))},
		{"GET /api/v1/recognitions", http.StatusOK, s.listRecognitions},
		{"GET /api/v1/recognitions/summary", http.StatusOK, s.recognitionSummary},
		{"POST /api/v1/recognitions/import", http.StatusOK, s.importRegistryAPI},
		{"POST /api/v1/recognitions/{id}/revoke", http.StatusOK, bodyAPI(withPathID(s.revoke))},
		{"GET /api/v1/recognition/watch", http.StatusOK, s.watchAPI},
		// report_documents.go
		{"GET /api/v1/reports/profile", http.StatusOK, s.getReportProfile},
		{"PUT /api/v1/reports/profile", http.StatusOK, s.putReportProfile},
		{"GET /api/v1/reports/drafts", http.StatusOK, s.listReportDrafts},
		{"POST /api/v1/reports/drafts", http.StatusOK, s.openReportDraft},
		{"GET /api/v1/reports/drafts/{id}", http.StatusOK, s.getReportDraft},
		{"PUT /api/v1/reports/drafts/{id}/paragraphs", http.StatusOK, s.putReportParagraphs},
		{"POST /api/v1/reports/drafts/{id}/issue", http.StatusOK, s.issueReportDraft},
		{"GET /api/v1/reports/drafts/{id}/document", http.StatusOK, s.reportDraftDocument},
		// reports.go
		{"GET /api/v1/reports/bulletin", http.StatusOK, s.getBulletin},
		{"GET /api/v1/reports/tables/{kind}", http.StatusOK, s.getReportTable},
		// resources.go
		{"GET /api/v1/resources/lists", http.StatusOK, s.resourceLists},
		{"GET /api/v1/funding/summary", http.StatusOK, s.fundingSummary},
		{"GET /api/v1/works/summary", http.StatusOK, s.worksSummary},
		{"POST /api/v1/works/{id}/disbursements", http.StatusOK, s.postDisbursement},
		{"DELETE /api/v1/works/{id}/disbursements/{did}", http.StatusOK, s.deleteDisbursement},
		{"GET /api/v1/models/summary", http.StatusOK, s.modelsSummary},
		{"GET /api/v1/tasks/overdue", http.StatusOK, s.overdueTasks},
		{"POST /api/v1/tasks/{id}/notes", http.StatusOK, s.postTaskNote},
		// units.go, unittags.go
		{"GET /api/v1/units", http.StatusOK, s.listUnits},
		{"GET /api/v1/units/{code}", http.StatusOK, s.getUnit},
		{"GET /api/v1/units/{code}/successors", http.StatusOK, s.unitLinks("successors", "ended before", s.db.Successors)},
		{"GET /api/v1/units/{code}/predecessors", http.StatusOK, s.unitLinks("predecessors", "on", s.db.Predecessors)},
		{"GET /api/v1/units/untagged", http.StatusOK, s.getUntagged},
		{"POST /api/v1/units/{code}/tags", http.StatusOK, s.postUnitTags},
		// targets.go
		{"GET /api/v1/targets", http.StatusOK, s.listTargets},
		{"POST /api/v1/targets", http.StatusOK, s.putTarget},
		{"DELETE /api/v1/targets/{id}", http.StatusNoContent, s.deleteTarget},
		// throttles.go
		{"GET /api/v1/sign-in-throttles", http.StatusOK, s.listThrottles},
		{"DELETE /api/v1/sign-in-throttles", http.StatusOK, s.clearThrottles},
		// users.go
		{"GET /api/v1/users", http.StatusOK, s.listUsers},
		{"POST /api/v1/users/{name}/disable", http.StatusOK, s.userAction(s.disableUser(true))},
		{"POST /api/v1/users/{name}/enable", http.StatusOK, s.userAction(s.disableUser(false))},
		{"POST /api/v1/users/{name}/password", http.StatusNoContent, s.userAction(s.resetPassword)},
		{"PATCH /api/v1/users/{name}", http.StatusOK, s.userAction(s.setUserRole)},
		{"GET /api/v1/users/{name}/sessions", http.StatusOK, s.userAction(s.userSessions)},
		{"DELETE /api/v1/users/{name}/sessions", http.StatusOK, s.userAction(s.endUserSessions)},
		{"GET /api/v1/users/{name}/tokens", http.StatusOK, s.userAction(s.userTokens)},
		{"POST /api/v1/me/password", http.StatusNoContent, s.changeOwnPassword},
	}
}
