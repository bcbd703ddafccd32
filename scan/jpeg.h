// Decoding a JPEG straight to grey with libjpeg-turbo through Leptonica
// (which the OCR links already): several times faster than Go's
// image/jpeg, and a colour JPEG's chroma is never upsampled or converted.
#ifndef DOSSIERCHECK_SCAN_JPEG_H
#define DOSSIERCHECK_SCAN_JPEG_H

#include <stddef.h>

int scan_jpeg_gray(const unsigned char *data, size_t n, unsigned char *out, int w, int h);

#endif
