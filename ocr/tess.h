// A small C interface to the parts of Tesseract's TessBaseAPI that the
// engine uses: gosseract takes only encoded images (that Leptonica parses
// again), which cost more than a third of a page's recognition.
#ifndef DOSSIERCHECK_OCR_TESS_H
#define DOSSIERCHECK_OCR_TESS_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct tess_word {
	int x1, y1, x2, y2;
	char *text;
	float confidence;
	int block, par, line;
} tess_word;

typedef struct tess_words {
	int n;
	tess_word *words;
} tess_words;

void *tess_new(void);
void tess_delete(void *api);
int tess_init(void *api, const char *lang);
int tess_set_variable(void *api, const char *name, const char *value);
void tess_set_psm(void *api, int psm);
int tess_set_gray(void *api, const unsigned char *pix, int w, int h, int stride);
int tess_set_encoded(void *api, const unsigned char *data, size_t n);
int tess_recognize(void *api, tess_words *out);
void tess_free_words(tess_words *ws);

#ifdef __cplusplus
}
#endif

#endif
