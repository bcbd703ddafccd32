#include <string.h>

#include <leptonica/allheaders.h>

#include "jpeg.h"

// scan_jpeg_gray decodes the JPEG in data to w×h grey bytes in out, a row
// after another. It returns -1, out untouched or partly written, when
// libjpeg reports anything at all (damaged data is left to Go's decoder,
// which says what is wrong), or when the image is not w×h (a CMYK JPEG).
//
// A colour JPEG gives its luminance only: its chroma is never decoded.
int scan_jpeg_gray(const unsigned char *data, size_t n, unsigned char *out, int w, int h) {
	// Leptonica says so on stderr at every luminance-only read; its
	// warnings and errors stay on.
	setMsgSeverity(L_SEVERITY_WARNING);
	l_int32 nwarn = 0;
	PIX *pix = pixReadMemJpeg(data, n, 0, 1, &nwarn, L_JPEG_READ_LUMINANCE);
	if (pix == NULL) {
		return -1;
	}
	if (nwarn != 0 || pixGetDepth(pix) != 8 || pixGetColormap(pix) != NULL || pixGetWidth(pix) != w ||
	    pixGetHeight(pix) != h) {
		pixDestroy(&pix);
		return -1;
	}
	// Leptonica keeps pixels in 32-bit words, the leftmost byte in the
	// most significant one.
	const l_uint32 *px = pixGetData(pix);
	int wpl = pixGetWpl(pix);
	for (int y = 0; y < h; y++) {
		const l_uint32 *line = px + (size_t)y * wpl;
		unsigned char *dst = out + (size_t)y * w;
		int x = 0;
		for (; x + 4 <= w; x += 4) {
			l_uint32 v = __builtin_bswap32(line[x / 4]);
			memcpy(dst + x, &v, 4);
		}
		for (; x < w; x++) {
			dst[x] = GET_DATA_BYTE(line, x);
		}
	}
	pixDestroy(&pix);
	return 0;
}
