#include <string.h>

#include <leptonica/allheaders.h>

#include "jpeg.h"

// scan_jpeg_gray decodes the JPEG in data to w×h grey bytes in out, a row
// after another. It returns -1, out untouched or partly written, when
// libjpeg reports anything at all (damaged data is left to Go's decoder,
// which says what is wrong), or when the image is not w×h grey or RGB (a
// CMYK JPEG).
//
// A colour JPEG is decoded to RGB and made grey with the weights of Go's
// color.GrayModel, as image/draw did: Leptonica's luminance-only read
// would be faster still but logs a line on every call.
int scan_jpeg_gray(const unsigned char *data, size_t n, unsigned char *out, int w, int h) {
	l_int32 nwarn = 0;
	PIX *pix = pixReadMemJpeg(data, n, 0, 1, &nwarn, 0);
	if (pix == NULL) {
		return -1;
	}
	int d = pixGetDepth(pix);
	if (nwarn != 0 || (d != 8 && d != 32) || pixGetColormap(pix) != NULL || pixGetWidth(pix) != w ||
	    pixGetHeight(pix) != h) {
		pixDestroy(&pix);
		return -1;
	}
	// Leptonica keeps pixels in 32-bit words, the leftmost byte (or the
	// red of an RGB pixel) in the most significant one.
	const l_uint32 *px = pixGetData(pix);
	int wpl = pixGetWpl(pix);
	for (int y = 0; y < h; y++) {
		const l_uint32 *line = px + (size_t)y * wpl;
		unsigned char *dst = out + (size_t)y * w;
		if (d == 32) {
			for (int x = 0; x < w; x++) {
				l_uint32 v = line[x];
				l_uint32 r = (v >> 24) * 0x101, g = ((v >> 16) & 0xff) * 0x101, b = ((v >> 8) & 0xff) * 0x101;
				dst[x] = (unsigned char)((19595 * r + 38470 * g + 7471 * b + (1 << 15)) >> 24);
			}
			continue;
		}
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
