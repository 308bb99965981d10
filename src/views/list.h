#ifndef X_list_H
#define X_list_H
#endif
