# Images shared with the project come from other accounts: without owner, any
# account that shares an image could become "the most recent" one (the
# provider warns). Pin the publisher you trust.
data "hwc_ims_image" "hardened" {
  visibility  = "shared"
  name        = "Ubuntu 24.04 server 64bit hardened"
  owner       = "5f0e7a2b9c3d4e1f8a6b7c2d9e0f1a3b"
  most_recent = true
}
