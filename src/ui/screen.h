#ifndef X_screen_H
#define X_screen_H
#endif
