package emulator

import (
	"net/http"
	"slices"
	"strings"

	"github.com/hwc-terraform/terraform-provider-hwc/internal/apidoc"
)

// isMarketImagesPath reports whether p is /v2/{project_id}/market-images.
func isMarketImagesPath(p string) bool {
	return strings.HasPrefix(p, "/v2/") && strings.HasSuffix(p, "/market-images")
}

// serveMarketImages answers GET /v2/{project_id}/market-images: 1 to 100
// image_ids, a project of the caller's account, unknown ids left out, and the
// images in catalog order rather than request order.
func (s *Server) serveMarketImages(w http.ResponseWriter, r *http.Request) {
	project := strings.TrimSuffix(strings.TrimPrefix(r.URL.Path, "/v2/"), "/market-images")
	if !s.ownsProject(project) {
		writeJSON(w, http.StatusForbidden, map[string]string{
			"error_code":   "Workspace.0003",
			"error_msg":    "The project " + project + " does not belong to the caller",
			"error_detail": "The IAM user has no permission for workspace:images:list in project " + project,
			// IAM's encoded form of the authorization failure, which an
			// administrator can decode; here a fixed stand-in.
			"encoded_authorization_message": "4vlILv4Rk1vMHyMSCgk9FpZ9eY7ZmCXa2T5mEhZHJxA",
			"request_id":                    w.Header().Get("X-Request-Id"),
		})
		return
	}
	if pid := r.Header.Get("X-Project-Id"); pid != "" && pid != project {
		gatewayError(w, http.StatusBadRequest, "Workspace.0001", "The project in the path does not match X-Project-Id")
		return
	}
	ids := r.URL.Query()["image_ids"]
	if len(ids) < 1 || len(ids) > apidoc.MarketMaxIDs {
		gatewayError(w, http.StatusBadRequest, "Workspace.0100", "image_ids must hold 1 to 100 image IDs")
		return
	}
	images := []map[string]any{}
	for _, img := range s.catalogOf(project).MarketImages {
		if slices.Contains(ids, img.str("image_id")) {
			images = append(images, img.public())
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{"images": images})
}
